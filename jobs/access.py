"""The door to jobs: only the requester, acting for the job's agency, sees a job or its file."""

from uuid import UUID

from django.http import Http404

from jobs.models import Job
from registry.models import AnyUser


def get_job_for_user(user: AnyUser, job_uuid: UUID | str) -> Job:
    """The one door to a job: anyone but its requester (acting for its agency) gets 404."""
    job: Job | None = Job.objects.for_user(user).filter(uuid=job_uuid).first()
    if job is None:
        raise Http404
    return job
