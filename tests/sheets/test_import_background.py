"""Import batches over IMPORT_BACKGROUND_THRESHOLD rows are confirmed by the task worker with the
job page; smaller ones stay in the request (tests/sheets/test_imports.py). The threshold is
lowered here so that a "large" batch stays quick."""

import pytest
from django.db import connections, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobError, JobStatus
from jobs.services import PROGRESS_DATABASE, Progress
from registry.models import Role
from sheets.interop.imports import services as import_services
from sheets.interop.imports.models import ImportStatus
from sheets.programs.models import Program
from tests.jobs.factories import JobFactory
from tests.jobs.worker import run_worker
from tests.sheets.import_files import csv_text, rows_for, upload

# The worker reports an import's progress through a second connection on PostgreSQL.
ALL_DATABASES = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.IMPORT_BACKGROUND_THRESHOLD = 3


def make_batch(world, rows: int = 5):
    return import_services.import_batch_create(
        agency=world.agency_a, by=world.coordinator_a, upload=upload("大量.csv", csv_text(rows_for(rows)).encode())
    )


@ALL_DATABASES
def test_a_large_batch_is_confirmed_by_the_worker(world, client):
    batch = make_batch(world)
    client.force_login(world.coordinator_a)
    response = client.post(reverse("import_confirm", args=[batch.uuid]))

    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and not Program.objects.filter(external_id__startswith="P-").exists()
    # Confirming again while it waits leads to the same job, not a second import.
    assert client.post(reverse("import_confirm", args=[batch.uuid]))["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 6, 6)  # one employer, five programs
    assert Program.objects.filter(owner=world.agency_a, external_id__startswith="P-").count() == 5
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_by == world.coordinator_a
    page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="{reverse("import_preview", args=[batch.uuid])}"' in page and "hx-trigger" not in page
    client.force_login(world.agency_admin_a)  # a colleague: the batch yes, the job no
    assert client.get(reverse("import_preview", args=[batch.uuid])).status_code == 200
    assert client.get(job.get_absolute_url()).status_code == 404


@ALL_DATABASES
def test_a_colleague_confirming_the_same_batch_is_told_it_is_under_way(world, client):
    batch = make_batch(world)
    client.force_login(world.coordinator_a)
    client.post(reverse("import_confirm", args=[batch.uuid]))
    client.force_login(world.agency_admin_a)
    response = client.post(reverse("import_confirm", args=[batch.uuid]))
    assert response["Location"] == reverse("import_preview", args=[batch.uuid]) and Job.objects.count() == 1


@ALL_DATABASES
def test_a_batch_imported_meanwhile_fails_with_the_reason(world, client):
    batch = make_batch(world)
    client.force_login(world.coordinator_a)
    client.post(reverse("import_confirm", args=[batch.uuid]))
    import_services.import_apply(batch, by=world.agency_admin_a)  # confirmed in the meantime

    run_worker()

    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, JobError.INVALID)
    page = client.get(job.get_absolute_url()).content.decode()
    from django.utils.html import escape

    # The failure is told once in the alert: the reason, not also the general label above it
    # (the label stays in the screen-reader status line).
    assert job.error_detail and page.count(escape(job.error_detail)) == 1
    assert page.count(str(JobError.INVALID.label)) == 1
    assert Program.objects.filter(external_id__startswith="P-").count() == 5  # imported once


@ALL_DATABASES
def test_a_coordinator_demoted_after_queueing_imports_nothing(world, client):
    batch = make_batch(world)
    client.force_login(world.coordinator_a)
    client.post(reverse("import_confirm", args=[batch.uuid]))
    world.coordinator_a.memberships.update(role=Role.COUNSELOR)

    run_worker()

    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, JobError.NOT_ALLOWED)
    assert not Program.objects.filter(external_id__startswith="P-").exists()
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"  # refused, not crashed


def test_no_job_without_the_role_or_for_another_agency(db, world, client):
    batch = make_batch(world)
    client.force_login(world.counselor_a)
    assert client.post(reverse("import_confirm", args=[batch.uuid])).status_code == 403
    client.force_login(world.counselor_c)
    assert client.post(reverse("import_confirm", args=[batch.uuid])).status_code == 404
    assert not Job.objects.exists()


def test_a_small_batch_is_still_confirmed_in_the_request(db, world, client, settings):
    settings.IMPORT_BACKGROUND_THRESHOLD = 200
    batch = make_batch(world)
    client.force_login(world.coordinator_a)
    assert client.post(reverse("import_confirm", args=[batch.uuid]))["Location"] == reverse(
        "import_preview", args=[batch.uuid]
    )
    assert not Job.objects.exists() and Program.objects.filter(external_id__startswith="P-").count() == 5


@ALL_DATABASES
def test_progress_inside_the_works_transaction_is_seen_at_once_on_postgresql(world):
    """The import writes all rows in one transaction; the bar must still move meanwhile."""
    job = JobFactory(requested_by=world.coordinator_a, agency=world.agency_a, status=JobStatus.RUNNING, total=10)
    progress = Progress(job)
    with transaction.atomic():
        progress(4, 10)
        if connections["default"].vendor == "postgresql":
            seen = Job.objects.using(PROGRESS_DATABASE).get(pk=job.pk)  # another connection
            assert (seen.done, seen.total) == (4, 10)
        else:  # SQLite: one writer; the bar moves when the transaction ends
            assert PROGRESS_DATABASE not in connections.settings
            assert Job.objects.get(pk=job.pk).done == 0
