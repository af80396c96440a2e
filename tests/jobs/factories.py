from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from jobs.models import Job, JobKind, JobStatus


class JobFactory(DjangoModelFactory):
    """A queued binder job of a counselor (give requested_by and agency together)."""

    class Meta:
        model = Job

    kind = JobKind.BINDER
    status = JobStatus.QUEUED
    total = 5
    return_url = "/programs/print-list/"


def finish_with_file(job: Job, data: bytes, name: str = "binder.pdf") -> Job:
    from django.utils import timezone

    job.result_file.save("binder.pdf", ContentFile(data), save=False)
    job.result_name = name
    job.result_type = "application/pdf"
    job.status = JobStatus.DONE
    job.done = job.total
    job.finished_at = timezone.now()
    job.save()
    return job
