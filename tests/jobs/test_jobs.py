"""Jobs: the progress page (full page and htmx polling), running once, the worker's own access
re-check, failures, and the clean-up of old jobs and their files."""

import datetime
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobError, JobKind, JobStatus
from jobs.services import JobOutput, JobRefused, job_start, purge_expired_jobs, run_job
from registry.models import AuditEntry, Role
from tests.jobs.factories import JobFactory, finish_with_file
from tests.jobs.worker import run_worker

# --- Tasks used by these tests (module level: the worker imports them by path) ---------------


def _count_to_three(job, user, progress) -> JobOutput:
    progress(0, 3)
    for done in (1, 2, 3):
        progress(done)
    return JobOutput(f"counted for {user.email}".encode(), "結果.txt", "text/plain")


def _refuse(job, user, progress):
    raise JobRefused(JobError.NOTHING_LEFT)


def _explode(job, user, progress):
    progress(1, 4)
    raise RuntimeError("renderer crashed")


@task()
def count_task(job_uuid: str) -> str:
    return run_job(job_uuid, _count_to_three)


@task()
def refuse_task(job_uuid: str) -> str:
    return run_job(job_uuid, _refuse)


@task()
def explode_task(job_uuid: str) -> str:
    return run_job(job_uuid, _explode)


def start(user, task_=count_task) -> Job:
    return job_start(kind=JobKind.BINDER, by=user, task=task_, params={}, total=3, return_url="/programs/print-list/")


# --- Through the database backend and the real worker ----------------------------------------


def test_a_queued_job_waits_for_the_worker_then_runs_once(transactional_db, world, client):
    job = start(world.counselor_a)
    assert job.status == JobStatus.QUEUED and job.agency == world.agency_a
    task_row = DBTaskResult.objects.get(id=job.task_id)
    assert task_row.status == "READY" and task_row.task_path == "tests.jobs.test_jobs.count_task"
    assert AuditEntry.objects.filter(action="job.binder", target_id=str(job.uuid)).count() == 1

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 3, 3, 100)
    assert job.started_at <= job.finished_at
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    client.force_login(world.counselor_a)
    response = client.get(reverse("job_download", args=[job.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"counted for {world.counselor_a.email}".encode()
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    # Running the same job again (a retried task) does nothing.
    assert run_job(str(job.uuid), _explode) == JobStatus.DONE


def test_an_unexpected_error_fails_the_job_and_keeps_the_traceback_for_admins(transactional_db, world, client):
    job = start(world.counselor_a, explode_task)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.error, job.done, job.total) == (JobStatus.FAILED, JobError.FAILED, 1, 4)
    task_row = DBTaskResult.objects.get(id=job.task_id)
    assert task_row.status == "FAILED" and "renderer crashed" in task_row.traceback
    client.force_login(world.counselor_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert str(JobError.FAILED.label) in page and "renderer crashed" not in page
    assert 'role="progressbar"' not in page and reverse("job_download", args=[job.uuid]) not in page


# --- The worker re-checks access ----------------------------------------------------------------


def test_the_worker_refuses_when_the_requester_lost_their_membership(db, world):
    job = JobFactory(requested_by=world.counselor_a, agency=world.agency_a)
    world.counselor_a.memberships.update(is_active=False)
    assert run_job(str(job.uuid), _count_to_three) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error == JobError.NOT_ALLOWED and not job.result_file


def test_the_worker_acts_for_the_jobs_agency_not_another_one(db, world):
    """Someone in two agencies queued for A; if they are no longer in A, nothing is made for B."""
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.counselor_b, agency=world.agency_c, role=Role.COUNSELOR)
    job = JobFactory(requested_by=world.counselor_b, agency=world.agency_c)
    assert run_job(str(job.uuid), _count_to_three) == JobStatus.DONE
    job = JobFactory(requested_by=world.counselor_b, agency=world.agency_a)  # never a member of A
    assert run_job(str(job.uuid), _count_to_three) == JobStatus.FAILED


def test_refused_work_fails_with_its_reason(db, world):
    job = JobFactory(requested_by=world.counselor_a, agency=world.agency_a)
    assert run_job(str(job.uuid), _refuse) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error == JobError.NOTHING_LEFT and job.error_message == str(JobError.NOTHING_LEFT.label)


def test_the_immediate_backend_runs_the_job_in_the_request(db, world, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    job = start(world.counselor_a)
    assert job.status == JobStatus.DONE and job.result_name == "結果.txt"


# --- The page ------------------------------------------------------------------------------


def test_the_page_shows_an_accessible_progress_bar_with_a_refresh_link(db, world, client):
    job = JobFactory(requested_by=world.counselor_a, agency=world.agency_a, status=JobStatus.RUNNING, done=2, total=8)
    client.force_login(world.counselor_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="25"' in page and 'aria-valuetext="25% (' in page
    assert 'role="status"' in page  # the live region for status changes
    assert f'href="{job.get_absolute_url()}"' in page  # the full-page refresh, without JavaScript
    assert 'hx-trigger="every 2s"' in page and "http-equiv" not in page
    assert reverse("job_download", args=[job.uuid]) not in page


def test_polling_returns_the_panel_and_announces_only_status_changes(db, world, client):
    job = JobFactory(requested_by=world.counselor_a, agency=world.agency_a, status=JobStatus.RUNNING, done=1, total=4)
    client.force_login(world.counselor_a)
    url = job.get_absolute_url()
    same = client.get(url, {"shown": "running"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in same and 'aria-valuenow="25"' in same and "hx-swap-oob" not in same
    assert 'hx-trigger="every 2s"' in same

    finish_with_file(job, b"%PDF-1.7 test")
    done = client.get(url, {"shown": "running"}, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="innerHTML"' in done  # the status line changes: announced once
    assert "hx-trigger" not in done  # finished: polling stops
    assert 'aria-valuenow="100"' in done and reverse("job_download", args=[job.uuid]) in done


def test_a_job_waiting_long_says_the_worker_may_be_down(db, world, client):
    job = JobFactory(
        requested_by=world.counselor_a, agency=world.agency_a, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    client.force_login(world.counselor_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "alert-warning" in page and 'aria-valuenow="0"' in page


def test_a_silent_running_job_shows_as_interrupted(db, world, client):
    job = JobFactory(
        requested_by=world.counselor_a,
        agency=world.agency_a,
        status=JobStatus.RUNNING,
        updated_at=timezone.now() - datetime.timedelta(hours=2),
    )
    client.force_login(world.counselor_a)
    page = client.get(job.get_absolute_url()).content.decode()
    assert str(JobError.INTERRUPTED.label) in page and "hx-trigger" not in page


@pytest.mark.parametrize("persona", ["counselor_a", "agency_admin_a", "counselor_b", "counselor_c", "platform_admin"])
def test_nobody_but_the_requester_sees_the_job_or_its_file(db, world, client, persona):
    job = finish_with_file(JobFactory(requested_by=world.coordinator_a, agency=world.agency_a), b"%PDF-1.7 x")
    client.force_login(world.users[persona])
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("job_download", args=[job.uuid])).status_code == 404


def test_the_requester_acting_for_another_agency_does_not_see_it(db, world, client):
    from registry.models import ACTING_AGENCY_SESSION_KEY
    from tests.factories import MembershipFactory

    MembershipFactory(user=world.coordinator_a, agency=world.agency_b, role=Role.COUNSELOR)
    job = JobFactory(requested_by=world.coordinator_a, agency=world.agency_a)
    client.force_login(world.coordinator_a)
    assert client.get(job.get_absolute_url()).status_code == 200
    session = client.session
    session[ACTING_AGENCY_SESSION_KEY] = world.agency_b.pk
    session.save()
    assert client.get(job.get_absolute_url()).status_code == 404


# --- Clean-up ------------------------------------------------------------------------------


def test_purge_deletes_old_jobs_and_their_files_and_marks_silent_ones(db, world, settings):
    settings.JOB_RETENTION_DAYS = 7
    now = timezone.now()
    old = finish_with_file(JobFactory(requested_by=world.counselor_a, agency=world.agency_a), b"old")
    Job.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=8))
    recent = finish_with_file(JobFactory(requested_by=world.counselor_a, agency=world.agency_a), b"new")
    silent = JobFactory(
        requested_by=world.counselor_a,
        agency=world.agency_a,
        status=JobStatus.RUNNING,
        updated_at=now - datetime.timedelta(hours=1),
    )
    orphan = "jobs/00000000-0000-0000-0000-00000000dead"  # a job deleted with its user, a day ago
    default_storage.save(f"{orphan}/binder.pdf", io.BytesIO(b"x"))
    a_day_ago = (now - datetime.timedelta(days=1)).timestamp()
    os.utime(default_storage.path(orphan), (a_day_ago, a_day_ago))
    fresh = "jobs/00000000-0000-0000-0000-00000000beef"  # being written by another process
    default_storage.save(f"{fresh}/binder.pdf", io.BytesIO(b"x"))
    old_path = old.result_file.name

    assert purge_expired_jobs(now) == 1

    assert not Job.objects.filter(pk=old.pk).exists() and not default_storage.exists(old_path)
    assert Job.objects.filter(pk=recent.pk).exists() and default_storage.exists(recent.result_file.name)
    silent.refresh_from_db()
    assert (silent.status, silent.error) == (JobStatus.FAILED, JobError.INTERRUPTED)
    assert not default_storage.exists(orphan) and default_storage.exists(f"{fresh}/binder.pdf")
    default_storage.delete(f"{fresh}/binder.pdf")


def test_purge_command_reports_what_it_deleted(db, world, capsys):
    old = finish_with_file(JobFactory(requested_by=world.counselor_a, agency=world.agency_a), b"old")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=30))
    call_command("purge_jobs")
    assert "1 old job(s) deleted." in capsys.readouterr().out


def test_jobs_and_the_task_queue_are_read_from_the_primary():
    """With a read replica, a job page right after queueing must not miss the new job."""
    from config.routers import PrimaryReplicaRouter

    router = PrimaryReplicaRouter()
    assert router.db_for_read(Job) == "default" and router.db_for_read(DBTaskResult) == "default"


# --- A worker cut off in the middle of a job (SIGKILL, power cut) ------------------------------


def test_a_worker_restarted_under_its_id_requeues_what_it_was_running_and_finishes_it(transactional_db, world):
    """`make drill` kills the worker mid-binder: the unit's ExecStartPre (requeue_interrupted)
    puts the task back, the restarted worker makes the binder from the start. Another worker's
    running task is left alone (it may be alive)."""
    job, other = start(world.counselor_a), start(world.counselor_a)
    for each, worker_id in ((job, "host-1"), (other, "host-2")):
        DBTaskResult.objects.get(id=each.task_id).claim(worker_id)
        Job.objects.filter(pk=each.pk).update(status=JobStatus.RUNNING, done=2, started_at=timezone.now())
    out = io.StringIO()
    call_command("requeue_interrupted", worker_id="host-1", stdout=out)
    assert "1 interrupted job(s) queued again." in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.QUEUED, 0)
    assert DBTaskResult.objects.get(id=other.task_id).status == "RUNNING"
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.DONE, 3)
    assert DBTaskResult.objects.get(id=job.task_id).worker_ids == ["host-1", "test-worker"]
