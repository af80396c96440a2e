"""The job page (progress, then the download or the reason it failed) and the file itself.
Both go through `get_job_for_user`: anyone but the requester gets 404."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobs.access import get_job_for_user
from registry.access import role_required
from registry.models import Role

POLL_SECONDS = 2


@role_required(Role.COUNSELOR)
@require_safe
def job_detail(request: HttpRequest, job_uuid) -> HttpResponse:
    """The full page, or (htmx polling) the progress panel. The polling request says which
    status the page shows (`shown`); the status line — a live region — is only rewritten when
    the status changes, so screen readers announce changes, not every poll."""
    job = get_job_for_user(request.user, job_uuid)
    context = {"job": job, "poll_seconds": POLL_SECONDS, "announce": request.GET.get("shown") != job.shown_status}
    template = "jobs/_partials/job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)


@role_required(Role.COUNSELOR)
@require_safe
def job_download(request: HttpRequest, job_uuid) -> FileResponse:
    job = get_job_for_user(request.user, job_uuid)
    if not job.has_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as error:  # deleted by the clean-up meanwhile
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=job.result_name, content_type=job.result_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
