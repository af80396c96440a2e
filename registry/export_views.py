"""Download of the employer list as CSV or Excel: the same rows as /employers/ with the same
filters (the page's query string), every page at once."""

from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from registry.access import role_required
from registry.exports import EMPLOYER_COLUMNS, EMPLOYER_EXPORT_NAME, employer_rows, export_response, record_export
from registry.filters import EmployerFilter
from registry.http import StaffRequest
from registry.models import Employer, Role


@require_GET
@role_required(Role.COUNSELOR)
def employer_export(request: StaffRequest, fmt: str) -> HttpResponse:
    visible = Employer.objects.for_user(request.user)
    rows = employer_rows(EmployerFilter(request.GET, queryset=visible).qs)
    with translation.override("ja"):
        response = export_response(fmt=fmt, columns=EMPLOYER_COLUMNS, rows=rows, basename=EMPLOYER_EXPORT_NAME)
    record_export(by=request.user, action="employer.export", fmt=fmt, rows=len(rows), query=request.GET.urlencode())
    return response
