"""Starting, running and cleaning up jobs.

A feature defines a django.tasks task that takes the job's uuid and calls `run_job` with its
work; its view calls `job_start` with that task and redirects to the job page:

    @task()
    def make_thing(job_uuid: str) -> str:
        return run_job(job_uuid, build_thing)      # build_thing(job, user, progress) -> JobOutput

    job = job_start(kind=JobKind.BINDER, by=request.user, task=make_thing, params={...}, total=n)
    return redirect(job)

The work reports progress with `progress(done)` / `progress(done, total)` and returns a
`JobOutput` (a file for the requester) or None; raising `JobRefused` fails the job with a
message for the user. Old jobs and their files are deleted by `purge_expired_jobs`
(`manage.py purge_jobs`, and after every job the worker runs)."""

import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.tasks import Task
from django.utils import timezone, translation

from jobs.models import JOB_FILES, STALE_AFTER, Job, JobError, JobKind, JobStatus
from jobs.running import running_job
from registry.models import Role, User, acting_membership
from registry.services import audit

LOGGER = logging.getLogger(__name__)
# The database alias through which work inside a transaction reports progress (PostgreSQL only).
PROGRESS_DATABASE = "jobs_progress"


# --- Starting a job (in the request) ----------------------------------------------------------


def job_start(
    *, kind: JobKind, by: User, task: Task[..., Any], params: dict[str, Any], total: int = 0, return_url: str = ""
) -> Job:
    """Record the job and queue `task(job_uuid)` in one transaction, so the worker never sees a
    task without its job. (With the immediate backend the task runs right here.)"""
    membership = acting_membership(by)
    with transaction.atomic():
        job = Job(
            agency=membership.agency if membership else None,
            requested_by=by,
            kind=kind,
            params=params,
            total=total,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            return_url=return_url,
        )
        job.full_clean()
        job.save()
        audit(by=by, agency=job.agency, action=f"job.{kind}", target=job, total=total)
        result = task.enqueue(str(job.uuid))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


# --- Running a job (in the worker) -----------------------------------------------------------


class JobRefused(Exception):
    """The work cannot be done (any more): the job fails with this reason, nothing is kept."""

    def __init__(self, error: JobError, detail: str = "") -> None:
        super().__init__(error, detail)
        self.error = error
        self.detail = detail


@dataclass(frozen=True)
class JobOutput:
    data: bytes
    filename: str  # what the requester's browser saves it as
    content_type: str = "application/pdf"


class Progress:
    """Handed to the work: `progress(done)` or `progress(done, total)` moves the bar.

    Work that runs in one transaction (an import: all rows or none) would hide its progress
    until the end. On PostgreSQL the bar is then moved through a second connection
    (PROGRESS_DATABASE, see settings), which commits at once; SQLite allows a single writer,
    so there the bar simply jumps when the transaction ends. Writes are at most a few a second."""

    EVERY = timedelta(milliseconds=500)

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done, self.total = job.done, job.total
        self.written_at: datetime | None = None
        # Already inside a transaction (the immediate backend in a request, a test): the job row
        # is not committed, so no other connection could move it — and nobody is watching.
        self.outer_transaction = connections[DEFAULT_DB_ALIAS].in_atomic_block

    def __call__(self, done: int, total: int | None = None) -> None:
        now = timezone.now()
        changed_total = total is not None and total != self.total
        self.done, self.total = done, self.total if total is None else total  # kept for the end
        if not changed_total and done < self.total and self.written_at and now - self.written_at < self.EVERY:
            return
        fields = {"done": done, "total": self.total, "updated_at": now}
        alias = DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block and not self.outer_transaction:
            if PROGRESS_DATABASE not in settings.DATABASES:
                return
            alias = PROGRESS_DATABASE
        Job.objects.using(alias).filter(pk=self.job.pk).update(**fields)
        self.written_at = now


def requester_of(job: Job) -> User:
    """The requester, acting for the job's agency — if they still may. The worker re-checks what
    the view checked: roles, memberships and accounts change while jobs wait."""
    user = job.requested_by
    user.acting_agency_id = job.agency_id
    membership = acting_membership(user)
    if not user.is_active:
        raise JobRefused(JobError.NOT_ALLOWED)
    if job.agency_id is None:
        if not user.is_platform_admin:
            raise JobRefused(JobError.NOT_ALLOWED)
    elif membership is None or membership.agency_id != job.agency_id or not membership.has_role(Role.COUNSELOR):
        raise JobRefused(JobError.NOT_ALLOWED)
    return user


Work = Callable[[Job, User, Progress], JobOutput | None]


def run_job(job_uuid: str, work: Work) -> str:
    """Run `work` for the job once; returns the final status (the task's return value)."""
    job = Job.objects.select_related("requested_by", "agency").filter(uuid=job_uuid).first()
    if job is None or job.status != JobStatus.QUEUED:
        return job.status if job else "missing"  # purged, or run already: never twice
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, updated_at=now)
    progress = Progress(job)
    running = running_job.set(True)
    try:
        with translation.override(job.language):
            output = work(job, requester_of(job), progress)
    except JobRefused as refused:
        _finish(job, progress, JobStatus.FAILED, error=refused.error, error_detail=refused.detail)
    except Exception:
        LOGGER.exception("job %s (%s) failed", job.uuid, job.kind)
        _finish(job, progress, JobStatus.FAILED, error=JobError.FAILED)
        raise  # the task result keeps the traceback for the administrator
    else:
        _finish(job, progress, JobStatus.DONE, output=output)
    finally:
        running_job.reset(running)
    purge_expired_jobs()
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def _finish(job: Job, progress: Progress, status: JobStatus, *, output: JobOutput | None = None, **fields: Any) -> None:
    job.refresh_from_db()
    job.done, job.total = progress.done, progress.total  # the last report, written or not
    if output is not None:
        # The stored name is ours (ASCII); the user's file name is only sent on download.
        extension = output.filename.rsplit(".", 1)[-1].lower()[:8] if "." in output.filename else "bin"
        job.result_file.save(f"{job.kind}.{extension}", ContentFile(output.data), save=False)
        job.result_name = output.filename[:200]
        job.result_type = output.content_type
    job.status = status
    job.finished_at = job.updated_at = timezone.now()
    if status == JobStatus.DONE:
        job.done = max(job.done, job.total)
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


# --- Cleaning up ----------------------------------------------------------------------------


def purge_expired_jobs(now: datetime | None = None) -> int:
    """Delete jobs finished more than JOB_RETENTION_DAYS ago with their files, mark running jobs
    that fell silent as interrupted, and remove job folders no job points to (e.g. the jobs of a
    deleted user). Returns how many jobs were deleted."""
    now = now or timezone.now()
    Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - STALE_AFTER).update(
        status=JobStatus.FAILED, error=JobError.INTERRUPTED, finished_at=now
    )
    deleted = 0
    for job in Job.objects.expired(now):
        if job.result_file:
            job.result_file.delete(save=False)
        job.delete()
        deleted += 1
    _remove_orphan_folders(now)
    return deleted


def _remove_orphan_folders(now: datetime) -> None:
    """Only folders untouched for a while: one being written right now may belong to a job
    whose row another process has not committed yet (or, in tests, to another database)."""
    try:
        folders, _files = default_storage.listdir(JOB_FILES)
    except FileNotFoundError:
        return
    known = {str(u) for u in Job.objects.filter(uuid__in=_uuids(folders)).values_list("uuid", flat=True)}
    for folder in folders:
        path = f"{JOB_FILES}/{folder}"
        if folder not in known and default_storage.get_modified_time(path) < now - STALE_AFTER:
            _delete_folder(path)


def _uuids(names: list[str]) -> list[uuid.UUID]:
    found = []
    for name in names:
        try:
            found.append(uuid.UUID(name))
        except ValueError:
            continue
    return found


def _delete_folder(path: str) -> None:
    _dirs, files = default_storage.listdir(path)
    for name in files:
        default_storage.delete(f"{path}/{name}")
    try:
        os.rmdir(default_storage.path(path))  # FileSystemStorage: the emptied folder itself
    except OSError:
        LOGGER.warning("could not remove the job folder %s", path)


# --- A worker that was cut off ---------------------------------------------------------------


def requeue_interrupted(worker_id: str) -> list[str]:
    """The tasks worker `worker_id` was running when it was killed (power cut, SIGKILL, OOM) go
    back to the queue, and their jobs back to "waiting": run before the worker starts under the
    same id (the systemd unit's ExecStartPre), which is then not running anything. Safe to redo:
    a binder is written only at its end, an import in one transaction. Returns the job uuids."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    requeued = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        for result in running:
            if not result.worker_ids or result.worker_ids[-1] != worker_id:
                continue  # another worker's, perhaps alive
            result.status, result.started_at = TaskResultStatus.READY, None
            result.save(update_fields=["status", "started_at"])
            jobs = Job.objects.filter(task_id=str(result.id)[:64], status=JobStatus.RUNNING)
            requeued += [str(u) for u in jobs.values_list("uuid", flat=True)]
            jobs.update(status=JobStatus.QUEUED, started_at=None, done=0, updated_at=timezone.now())
    if requeued:
        LOGGER.warning("worker %s was cut off: jobs %s queued again", worker_id, ", ".join(requeued))
    return requeued
