"""The API endpoints (GET only): programs and employers, lists and details, the OpenAPI
document and its browsable docs. Every query starts from `visible_programs(agency)`."""

import uuid

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry.models import Agency, Employer
from sheets.interop import hsds
from sheets.interop.api.filters import ApiEmployerFilter, ApiProgramFilter, PageForm
from sheets.interop.api.http import api_endpoint, invalid_parameters, json_answer
from sheets.interop.api.openapi import openapi_document
from sheets.interop.api.representation import employer_json, program_json
from sheets.interop.selectors import hsds_programs
from sheets.programs.models import Program


def visible_programs(agency: Agency):
    """What a counselor of `agency` may see, published only (sheets/access.py decides)."""
    return Program.objects.published_for(agency)


def _with_program_details(programs):
    return programs.select_related("employer__region__prefecture", "owner").prefetch_related("timetable")


def _visible_employers(agency: Agency):
    programs = visible_programs(agency)
    return (
        Employer.objects.filter(pk__in=programs.values("employer_id"))
        .select_related("region__prefecture", "owner", "intro")
        .prefetch_related(Prefetch("programs", queryset=programs.order_by("uuid"), to_attr="visible_programs"))
    )


def no_date() -> None:
    """Last-Modified of an answer that gathers several records (a list, an employer with its
    programs): none, so it is validated by its ETag alone. Its latest visible change would not
    date a program that left it (unpublished, scope narrowed: a stale 304 on If-Modified-Since),
    and the changes of programs the token cannot see would tell when another agency edits them."""
    return None


def _page(request: HttpRequest, queryset, page: dict) -> tuple[list, str | None]:
    """One page after the cursor (the id of the previous page's last result) and the next link."""
    if page["cursor"]:
        queryset = queryset.filter(uuid__gt=uuid.UUID(page["cursor"]))
    items = list(queryset[: page["limit"] + 1])
    if len(items) <= page["limit"]:
        return items, None
    items = items[: page["limit"]]
    query = request.GET.copy()
    query["cursor"] = items[-1].uuid.hex
    return items, request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


# --- Programs ----------------------------------------------------------------------------------


@api_endpoint
def program_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    filters = ApiProgramFilter(request.GET, queryset=visible_programs(agency))
    page = PageForm(request.GET)
    if not (filters.is_valid() and page.is_valid()):
        return invalid_parameters({**filters.errors, **page.errors})
    programs, next_url = _page(request, _with_program_details(filters.qs), page.cleaned_data)
    payload = {"results": [program_json(request, p) for p in programs], "next": next_url}
    return json_answer(request, payload, last_modified=no_date())


@api_endpoint
def program_detail(request: HttpRequest, agency: Agency, program_id: str) -> HttpResponse:
    program = _with_program_details(visible_programs(agency)).filter(uuid=_parse_uuid(program_id)).first()
    if program is None:
        raise Http404
    changed = max(program.updated_at, program.employer.updated_at)
    return json_answer(request, program_json(request, program), last_modified=changed)


# --- Employers ---------------------------------------------------------------------------------


@api_endpoint
def employer_list(request: HttpRequest, agency: Agency) -> HttpResponse:
    filters = ApiEmployerFilter(request.GET, queryset=_visible_employers(agency))
    page = PageForm(request.GET)
    if not (filters.is_valid() and page.is_valid()):
        return invalid_parameters({**filters.errors, **page.errors})
    employers, next_url = _page(request, filters.qs, page.cleaned_data)
    payload = {"results": [employer_json(request, e, e.visible_programs) for e in employers], "next": next_url}
    return json_answer(request, payload, last_modified=no_date())


@api_endpoint
def employer_detail(request: HttpRequest, agency: Agency, employer_id: str) -> HttpResponse:
    employer = _visible_employers(agency).filter(uuid=_parse_uuid(employer_id)).first()
    if employer is None:
        raise Http404
    payload = employer_json(request, employer, employer.visible_programs)
    return json_answer(request, payload, last_modified=no_date())


# --- Open Referral HSDS 3.0 (sheets/hsds.py) ----------------------------------------------------


def _hsds_programs(agency: Agency):
    """The same rule as the HSDS downloads (published programs of active employers)."""
    return hsds_programs(visible_programs(agency))


@api_endpoint
def hsds_service(request: HttpRequest, agency: Agency, program_id: str) -> HttpResponse:
    program = _hsds_programs(agency).filter(uuid=_parse_uuid(program_id)).first()
    if program is None:
        raise Http404
    record = hsds.with_japanese(hsds.service_record, program)
    return json_answer(request, record, last_modified=max(program.updated_at, program.employer.updated_at))


@api_endpoint
def hsds_organization(request: HttpRequest, agency: Agency, employer_id: str) -> HttpResponse:
    """An employer is in HSDS through its published programs the token sees; without any, 404."""
    programs = list(_hsds_programs(agency).filter(employer__uuid=_parse_uuid(employer_id)))
    if not programs:
        raise Http404
    employer = programs[0].employer
    record = hsds.with_japanese(hsds.organization_with_services, employer, programs)
    return json_answer(request, record, last_modified=no_date())


# --- Schema and docs ---------------------------------------------------------------------------


@require_GET
def schema(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(request), json_dumps_params={"ensure_ascii": False})


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")
