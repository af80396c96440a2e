"""Downloads of programs: the program search as CSV or Excel (the same rows as /programs/ with
the same query string, every page at once), and the published programs in Open Referral
HSDS 3.0 form (one service, one organization, or a data package of the whole search).

Every download starts from `Program.objects.for_user(user)` and is one audit entry."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from registry.access import role_required
from registry.exports import export_response, record_export
from registry.http import PRIVATE
from registry.models import Employer, Role
from sheets.interop import hsds
from sheets.interop.exports import PROGRAM_EXPORT_NAME, program_columns, program_rows
from sheets.interop.selectors import hsds_programs
from sheets.programs.models import Program
from sheets.search.filters import QUERY_MAX_CHARACTERS, ProgramSearch

JSON_TYPE = "application/json; charset=utf-8"


def _search(request: HttpRequest) -> ProgramSearch:
    """The program search of this query string, as on the search page."""
    visible = Program.objects.for_user(request.user)
    return ProgramSearch(request.GET or None, queryset=visible, request=request)


def _back_to_the_search(request: HttpRequest) -> HttpResponse:
    """A keyword over its bounds: the search page of the same query says why, next to the field.
    The keyword is cut just past its bound (still refused, with the message): 1,000 words would
    make a redirect longer than any URL Django sends."""
    query = request.GET.copy()
    query["q"] = query.get("q", "")[: QUERY_MAX_CHARACTERS + 1]
    return redirect(f"{reverse('program_list')}?{query.urlencode()}")


@require_GET
@role_required(Role.COUNSELOR)
def program_export(request: HttpRequest, fmt: str) -> HttpResponse:
    search = _search(request)
    if search.keyword_refused:
        return _back_to_the_search(request)
    rows = program_rows(search.qs)
    with translation.override("ja"):
        response = export_response(fmt=fmt, columns=program_columns(), rows=rows, basename=PROGRAM_EXPORT_NAME)
    record_export(by=request.user, action="program.export", fmt=fmt, rows=len(rows), query=request.GET.urlencode())
    return response


# --- HSDS 3.0 ------------------------------------------------------------------------------


def _json_response(data, filename: str) -> HttpResponse:
    response = HttpResponse(hsds.to_json(data), content_type=JSON_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = PRIVATE
    return response


@require_GET
@role_required(Role.COUNSELOR)
def hsds_service(request: HttpRequest, program_uuid) -> HttpResponse:
    program = hsds_programs(Program.objects.for_user(request.user)).filter(uuid=program_uuid).first()
    if program is None:
        raise Http404
    record = hsds.with_japanese(hsds.service_record, program)
    record_export(by=request.user, action="hsds.export", fmt="service", rows=1, program=str(program.uuid))
    return _json_response(record, f"service-{program.uuid}.json")


@require_GET
@role_required(Role.COUNSELOR)
def hsds_organization(request: HttpRequest, employer_uuid) -> HttpResponse:
    """An employer is in HSDS through its published programs the user sees; without any, 404."""
    programs = list(hsds_programs(Program.objects.for_user(request.user)).filter(employer__uuid=employer_uuid))
    if not programs:
        raise Http404
    employer: Employer = programs[0].employer
    record = hsds.with_japanese(hsds.organization_with_services, employer, programs)
    record_export(
        by=request.user, action="hsds.export", fmt="organization", rows=len(programs), employer=str(employer.uuid)
    )
    return _json_response(record, f"organization-{employer.uuid}.json")


@require_GET
@role_required(Role.COUNSELOR)
def hsds_datapackage(request: HttpRequest) -> HttpResponse:
    """The published programs of the search (same query string as /programs/) as a zip."""
    search = _search(request)
    if search.keyword_refused:
        return _back_to_the_search(request)
    programs = list(hsds_programs(search.qs))
    data = hsds.with_japanese(hsds.data_package, programs)
    record_export(
        by=request.user, action="hsds.export", fmt="datapackage", rows=len(programs), query=request.GET.urlencode()
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, "shigoto-hsds.zip")
    response["Cache-Control"] = PRIVATE
    return response
