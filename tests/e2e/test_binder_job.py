"""A counselor prints a big binder: it is queued, the page shows an accessible progress bar that
htmx keeps up to date, the worker (run here, in the test) makes it, the bar reaches 100 % and
the PDF downloads. The page has 0 axe violations while waiting and when done.

While the worker runs, the browser's polling requests are held by a Playwright route (its
handler only runs when the test calls Playwright again), so the live server and the worker never
use the database at the same moment — on SQLite they share one in-memory connection."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from jobs.models import Job, JobStatus
from registry.models import Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory
from tests.jobs.worker import run_worker
from tests.sheets.factories import ProgramFactory

TITLES = ("ねぎの出荷調整体験", "部品の袋詰め見学", "商品の検品アルバイト")


def test_a_big_binder_is_made_in_the_background_with_a_progress_bar(page, transactional_db, settings, tmp_path):
    settings.BINDER_BACKGROUND_THRESHOLD = 4  # 3 programs × ①②③ = 9 sheets: in the background
    owner = MembershipFactory(role=Role.COORDINATOR).agency
    employer = EmployerFactory(owner=owner, region=owner.region, name="有限会社みどり紙工")
    programs = [
        ProgramFactory(
            employer=employer, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
        for title in TITLES
    ]
    counselor = MembershipFactory(role=Role.COUNSELOR, agency=AgencyFactory(region=owner.region)).user

    log_in(page, counselor)
    for program in programs:
        page.goto(f"/programs/{program.uuid}/")
        page.get_by_role("button", name="印刷リストに追加").first.click()
        expect(page.get_by_role("button", name="印刷リストから外す").first).to_be_visible()
    page.goto("/programs/print-list/")
    page.get_by_role("button", name="保存してバインダー（PDF）をダウンロード").click()

    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    job = Job.objects.get()
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#job-status[role=status]")).not_to_be_empty()
    refresh = page.locator(f'#job-progress a[href="{job.get_absolute_url()}"]')  # the no-JavaScript fallback
    expect(refresh).to_be_visible()
    assert_accessible(page, "jobs_binder_queued")

    polls = []
    page.route(re.compile(r"/jobs/.*\?shown="), lambda route: (polls.append(route.request.url), route.continue_()))
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 10, 10)

    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=15_000)  # htmx polling caught up
    assert polls, "the page polls the job"
    download_link = page.locator(f'a[href="/jobs/{job.uuid}/download/"]')
    expect(download_link).to_be_visible()
    expect(refresh).to_have_count(0)
    assert_accessible(page, "jobs_binder_done")

    with page.expect_download() as download:
        download_link.click()
    path = tmp_path / "binder.pdf"
    download.value.save_as(path)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "印刷バインダー" in text and all(title in text for title in TITLES)


def test_a_running_and_a_failed_job_read_clearly(page, transactional_db):
    """The job page mid-way (the bar and its numbers) and after a failure (a message, no bar)."""
    from jobs.models import JobError
    from tests.jobs.factories import JobFactory

    membership = MembershipFactory(role=Role.COUNSELOR)
    running = JobFactory(
        requested_by=membership.user, agency=membership.agency, status=JobStatus.RUNNING, done=4, total=10
    )
    failed = JobFactory(
        requested_by=membership.user,
        agency=membership.agency,
        status=JobStatus.FAILED,
        error=JobError.NOTHING_LEFT,
        done=0,
        total=10,
    )
    log_in(page, membership.user)
    page.goto(running.get_absolute_url())
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "40")
    assert_accessible(page, "jobs_running")
    page.goto(failed.get_absolute_url())
    expect(page.locator(".alert-danger")).to_contain_text(str(JobError.NOTHING_LEFT.label))
    expect(page.get_by_role("progressbar")).to_have_count(0)
    assert_accessible(page, "jobs_failed")
