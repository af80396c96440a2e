"""Binders over BINDER_BACKGROUND_THRESHOLD sheets are made by the task worker with a progress
page; small ones stay in the request. Access is checked when queueing, again in the worker, and
when the file is downloaded. (The threshold is lowered here so that a "big" binder stays quick.)"""

import io
from unittest import mock

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from jobs.models import Job, JobError, JobStatus
from registry.models import Role
from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.factories import MembershipFactory
from tests.jobs.worker import run_worker
from tests.sheets.factories import ProgramFactory
from tests.sheets.test_print import compact

TITLES = ("ねぎの出荷調整体験", "部品の袋詰め見学")


@pytest.fixture
def published(world):
    return [
        ProgramFactory(
            employer=world.employer_a, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
        for title in TITLES
    ]


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.BINDER_BACKGROUND_THRESHOLD = 3  # two programs × ①②③ = 6 sheets: background


def fill_print_list(client, programs) -> None:
    for program in programs:
        client.post(reverse("print_list_toggle", args=[program.uuid]))


def download(client, kinds_by_program: dict) -> object:
    data = {f"kinds_{p.uuid}": kinds for p, kinds in kinds_by_program.items()} | {"download": "1"}
    return client.post(reverse("print_list"), data)


def pdf_pages(content: bytes) -> list[str]:
    return [compact(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def test_a_small_binder_is_made_in_the_request_as_before(login, world, published):
    client = login(world.counselor_b)
    fill_print_list(client, published)
    response = download(client, {published[0]: ["client", "supporter"], published[1]: ["employer"]})
    assert response["Location"] == reverse("binder_pdf")
    binder = client.get(reverse("binder_pdf"))
    assert binder["Content-Type"] == "application/pdf" and "印刷バインダー" in pdf_pages(binder.content)[0]
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_big_binder_is_queued_run_by_the_worker_and_downloaded_by_the_requester(
    transactional_db, world, client, published
):
    client.force_login(world.counselor_b)
    fill_print_list(client, published)
    response = download(client, {p: ["employer", "client", "supporter"] for p in published})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.done, job.total, job.agency) == (JobStatus.QUEUED, 0, 7, world.agency_b)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'aria-valuenow="0"' in page and 'hx-trigger="every 2s"' in page

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 7, 7)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'aria-valuenow="100"' in page and "hx-trigger" not in page
    file = client.get(reverse("job_download", args=[job.uuid]))
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert "attachment" in file["Content-Disposition"] and file["Cache-Control"] == "private, no-store"
    pages = pdf_pages(b"".join(file.streaming_content))
    assert "印刷バインダー" in pages[0] and all(title in pages[0] for title in TITLES)
    assert sum("相談者向け" in p for p in pages) >= 2 and sum("支援員向け" in p for p in pages) >= 2

    # Another agency's counselor, and — the documented rule — a colleague of the same agency: 404.
    colleague = MembershipFactory(agency=world.agency_b, role=Role.AGENCY_ADMIN).user
    for other in (world.counselor_c, world.counselor_a, colleague):
        client.force_login(other)
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("job_download", args=[job.uuid])).status_code == 404


def test_the_worker_leaves_out_programs_withdrawn_since_queueing(transactional_db, world, client, published):
    client.force_login(world.counselor_b)
    fill_print_list(client, published)
    download(client, {p: ["employer", "client", "supporter"] for p in published})
    Program.objects.filter(pk=published[1].pk).update(status=ProgramStatus.DRAFT)

    run_worker()

    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    text = "".join(pdf_pages(b"".join(client.get(reverse("job_download", args=[job.uuid])).streaming_content)))
    assert TITLES[0] in text and TITLES[1] not in text


def test_a_binder_with_nothing_left_to_print_fails_with_a_message(transactional_db, world, client, published):
    client.force_login(world.counselor_b)
    fill_print_list(client, published)
    download(client, {p: ["employer", "client", "supporter"] for p in published})
    Program.objects.update(status=ProgramStatus.ARCHIVED)

    run_worker()

    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, JobError.NOTHING_LEFT)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "alert-danger" in page and str(JobError.NOTHING_LEFT.label) in page
    assert client.get(reverse("job_download", args=[job.uuid])).status_code == 404


def test_a_crash_while_rendering_shows_a_clear_failure(transactional_db, world, client, published):
    client.force_login(world.counselor_b)
    fill_print_list(client, published)
    download(client, {p: ["employer", "client", "supporter"] for p in published})

    with mock.patch("sheets.printing.binder.pdf.combine", side_effect=MemoryError("out of memory")):
        run_worker()

    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, JobError.FAILED)
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    page = client.get(job.get_absolute_url()).content.decode()
    assert str(JobError.FAILED.label) in page and "out of memory" not in page
    assert not job.result_file


def test_get_binder_pdf_never_starts_a_job(login, world, published):
    client = login(world.counselor_b)
    fill_print_list(client, published)
    response = client.get(reverse("binder_pdf"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("print_list")
    assert not Job.objects.exists()
    assert "6" in response.content.decode()  # the note names the binder's size


def test_the_immediate_backend_makes_a_big_binder_at_once(login, world, published, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = login(world.counselor_b)
    fill_print_list(client, published)
    response = download(client, {p: ["employer", "client", "supporter"] for p in published})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.status == JobStatus.DONE
    assert client.get(reverse("job_download", args=[job.uuid])).status_code == 200
