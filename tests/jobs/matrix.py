"""Permission-matrix cases for the job page and its file. A job is its requester's alone: even
colleagues and platform admins get 404. The finished job's PDF holds agency A's private marker
text, so the cross-agency sweep checks no one else ever receives it."""

from django.urls import reverse

from jobs.models import Job
from tests.jobs.factories import JobFactory, finish_with_file
from tests.matrix_support import LOGIN, Case

NOBODY = "00000000-0000-0000-0000-000000000000"
OWNER_ONLY = {"anonymous": LOGIN, "coordinator_a": 200, "*": 404}
_PDF: list[bytes] = []


def _marker_pdf() -> bytes:
    """A real PDF carrying agency A's private draft title (made once per test process)."""
    if not _PDF:
        from sheets.printing import pdf

        html = '<html lang="ja"><head><title>t</title></head><body><p>秘密の下書き体験甲</p></body></html>'
        _PDF.append(pdf.render_pdf(html))
    return _PDF[0]


def extend_world(world) -> None:
    if hasattr(world, "job_a"):
        return
    world.job_a = JobFactory(requested_by=world.coordinator_a, agency=world.agency_a)
    world.job_a_done = finish_with_file(
        JobFactory(requested_by=world.coordinator_a, agency=world.agency_a), _marker_pdf()
    )


def job(name, attr):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid])


MATRIX = {
    "job_detail": [
        Case("GET", job("job_detail", "job_a"), OWNER_ONLY),
        Case("GET", job("job_detail", "job_a_done"), OWNER_ONLY),
        Case("GET", lambda w: f"/jobs/{NOBODY}/", {"anonymous": LOGIN, "*": 404}),
        Case("POST", job("job_detail", "job_a"), {"anonymous": LOGIN, "*": 405}),
    ],
    "job_download": [
        Case("GET", job("job_download", "job_a_done"), OWNER_ONLY),
        # Not finished yet: nothing to download, even for the requester.
        Case("GET", job("job_download", "job_a"), {"anonymous": LOGIN, "*": 404}),
        Case("POST", job("job_download", "job_a_done"), {"anonymous": LOGIN, "*": 405}),
    ],
}

__all__ = ["MATRIX", "Job", "extend_world"]
