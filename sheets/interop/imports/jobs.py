"""Confirming a large import batch in the background (jobs/).

A batch of more than IMPORT_BACKGROUND_THRESHOLD rows is applied by the task worker: the
coordinator waits on the job page (progress: rows written) instead of a request that could
outlast the server's timeout. Smaller batches are applied in the request as before. The
worker applies the batch as the requester, acting for the batch's agency: the batch door
(`ImportBatch.objects.for_user`, the coordinator role) is passed again there, and
`import_apply` checks the role once more inside its transaction."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.tasks import task
from django.urls import reverse

from jobs.models import Job, JobError, JobKind, JobStatus
from jobs.services import JobRefused, job_start, run_job
from sheets.interop.imports.access import can_import
from sheets.interop.imports.models import ImportBatch
from sheets.interop.imports.services import ImportRejected, import_apply


def in_background(batch: ImportBatch) -> bool:
    return batch.row_count > settings.IMPORT_BACKGROUND_THRESHOLD


def unfinished_job(batch: ImportBatch) -> Job | None:
    """A job already confirming this batch (queued or running), by anyone."""
    return (
        Job.objects.filter(kind=JobKind.IMPORT, params__batch=str(batch.uuid))
        .filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .first()
    )


def start_job(*, batch: ImportBatch, by) -> Job:
    """Queue the confirmation of a batch the view found through its door."""
    return job_start(
        kind=JobKind.IMPORT,
        by=by,
        task=apply_import,
        params={"batch": str(batch.uuid)},
        total=batch.row_count,  # replaced by employers + programs once the worker has checked the rows
        return_url=reverse("import_preview", args=[batch.uuid]),
    )


@task()
def apply_import(job_uuid: str) -> str:
    return run_job(job_uuid, _apply_import)


def _apply_import(job: Job, user, progress) -> None:
    batch = ImportBatch.objects.for_user(user).filter(uuid=job.params["batch"]).first()
    if batch is None or not can_import(user):
        raise JobRefused(JobError.NOT_ALLOWED)
    try:
        import_apply(batch, by=user, progress=progress)
    except PermissionDenied:
        raise JobRefused(JobError.NOT_ALLOWED) from None
    except ImportRejected as rejected:
        raise JobRefused(JobError.INVALID, str(rejected.message)) from None
