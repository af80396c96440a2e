"""The HSDS 3.0 API (Open Referral's official OpenAPI, `sheets/interop/hsds_spec/openapi.json`)
at /api/hsds/: its read operations over the published programs the token's agency may see —
the same records as the HSDS downloads (`sheets/interop/hsds.py`), the same door as the rest
of the API (`api_endpoint`: bearer token, rate limit, JSON errors).

- `/` says which HSDS version and where the OpenAPI file is;
- `/services`, `/organizations`, `/service_at_locations`, `/taxonomies`, `/taxonomy_terms`
  are paginated (`page` from 1, `per_page` up to MAX_PER_PAGE) with the official `Page`
  fields; `search` looks in titles, descriptions and employer names;
- `/services/{id}`, `/organizations/{id}`, `/service_at_locations/{id}`, `/taxonomies/{id}`,
  `/taxonomy_terms/{id}` answer one record (404 when the token's agency may not see it).

Only JSON is served (`format=ndjson` answers JSON too); `minimal` is accepted and ignored (a
minimal list would not be valid against the official list schema); `postcode`/`proximity`
filter nothing (no coordinates are kept)."""

import datetime
import math
import re
import uuid

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from registry.http import query_text
from registry.models import Agency
from sheets.interop import hsds
from sheets.interop.api.hsds_openapi import served_document
from sheets.interop.api.http import api_endpoint, error, json_answer
from sheets.interop.api.views import no_date, visible_programs
from sheets.interop.selectors import hsds_programs
from sheets.vocabulary import EngagementType

HSDS_VERSION = "3.0.0"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_SEARCH = 200
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no", ""}
BOOLEAN_PARAMETERS = ("full", "full_service", "minimal", "top_only")


class BadParameter(Exception):
    """A query parameter that cannot be read; its message (Japanese, as every answer) says how to write it."""


def _flag(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "").strip().lower()
    if value not in TRUE | FALSE:
        raise BadParameter(_("%(name)s must be true or false.") % {"name": name})
    return value in TRUE


def _int(request: HttpRequest, name: str, default: int) -> int:
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise BadParameter(_("%(name)s must be a whole number.") % {"name": name}) from None


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError):
        return None


def _paged(request: HttpRequest, items: list, record) -> dict:
    """The official `Page` fields and `contents`; a page past the end is empty, never an error."""
    per_page = min(max(_int(request, "per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    page = max(_int(request, "page", 1), 1)
    total = len(items)
    total_pages = max(1, math.ceil(total / per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(chunk),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not chunk,
        "contents": [record(item) for item in chunk],
    }


def _answer(request: HttpRequest, agency: Agency, build) -> HttpResponse:
    try:
        for name in BOOLEAN_PARAMETERS:  # read or not, a flag is true or false (full=null is a 400)
            _flag(request, name)
        payload = hsds.with_japanese(build)
    except BadParameter as exc:
        return error(400, "invalid_parameters", str(exc))
    return json_answer(request, payload, last_modified=no_date())


def _programs(request: HttpRequest, agency: Agency):
    """The published programs the agency sees, narrowed by the official query parameters."""
    programs = hsds_programs(visible_programs(agency)).select_related("owner")
    search = query_text(request, "search", MAX_SEARCH)
    if search:
        programs = programs.filter(
            Q(title__icontains=search) | Q(what_you_do__icontains=search) | Q(employer__name__icontains=search)
        )
    term = request.GET.get("taxonomy_term_id", "").strip()
    if term:
        types = [value for value in EngagementType.values if hsds.engagement_term(value)["id"] == term]
        programs = programs.filter(engagement_type__in=types)
    taxonomy = request.GET.get("taxonomy_id", "").strip()
    if taxonomy and taxonomy != hsds.engagement_taxonomy()["id"]:
        programs = programs.none()
    organization = request.GET.get("organization_id", "").strip()
    if organization:
        organization_uuid = _uuid(organization)
        programs = programs.filter(employer__uuid=organization_uuid) if organization_uuid else programs.none()
    modified_after = request.GET.get("modified_after", "").strip()
    if modified_after:
        # A "+" left unescaped in a query string arrives as a space: 09:00:00 09:00 meant +09:00.
        offset_with_a_space = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", modified_after)
        try:
            since = datetime.datetime.fromisoformat(offset_with_a_space.replace("Z", "+00:00"))
        except ValueError:
            raise BadParameter(
                _("modified_after must be a date and time, e.g. 2026-12-01T09:00:00%2B09:00 (%2B is + in an address).")
            ) from None
        if since.tzinfo is None:  # as the answers write times: Japan time
            since = timezone.make_aware(since)
        programs = programs.filter(updated_at__gte=since)
    return programs


def _service_record(request: HttpRequest):
    full = _flag(request, "full")

    def record(program) -> dict:
        return hsds.service_record(program, nested=full) if full else _flat_service(program)

    return record


def _flat_service(program) -> dict:
    return {
        key: value
        for key, value in hsds.service_record(program, nested=False).items()
        if not isinstance(value, (list, dict))
    }


def _one(found):
    if found is None:
        raise Http404
    return found


@require_GET
def hsds_openapi(request: HttpRequest) -> HttpResponse:
    """The official OpenAPI description, made to work on its own (hsds_openapi.py; public: it
    holds no data)."""
    return JsonResponse(served_document(), json_dumps_params={"ensure_ascii": False})


@api_endpoint
def hsds_root(request: HttpRequest, agency: Agency) -> HttpResponse:
    from django.urls import reverse

    payload = {
        "version": HSDS_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("hsds_api_openapi")),
    }
    return json_answer(request, payload, last_modified=None)


@api_endpoint
def hsds_services(request: HttpRequest, agency: Agency) -> HttpResponse:
    return _answer(request, agency, lambda: _paged(request, list(_programs(request, agency)), _service_record(request)))


@api_endpoint
def hsds_service(request: HttpRequest, agency: Agency, service_id: str) -> HttpResponse:
    program = _one(hsds_programs(visible_programs(agency)).filter(uuid=_uuid(service_id) or uuid.UUID(int=0)).first())
    record = hsds.with_japanese(hsds.service_record, program)
    return json_answer(request, record, last_modified=max(program.updated_at, program.employer.updated_at))


def _organizations(programs) -> list[tuple]:
    by_employer: dict = {}
    for program in programs:
        by_employer.setdefault(program.employer_id, (program.employer, []))[1].append(program)
    return list(by_employer.values())


@api_endpoint
def hsds_organizations(request: HttpRequest, agency: Agency) -> HttpResponse:
    search = query_text(request, "search", MAX_SEARCH)
    programs = hsds_programs(visible_programs(agency)).select_related("owner")
    if search:
        programs = programs.filter(Q(employer__name__icontains=search) | Q(employer__name_kana__icontains=search))

    def record(item) -> dict:
        employer, employer_programs = item
        if _flag(request, "full") or _flag(request, "full_service"):
            return hsds.organization_with_services(employer, employer_programs)
        return hsds.organization_record(employer)

    return _answer(request, agency, lambda: _paged(request, _organizations(programs), record))


@api_endpoint
def hsds_organization(request: HttpRequest, agency: Agency, organization_id: str) -> HttpResponse:
    employer_uuid = _uuid(organization_id) or uuid.UUID(int=0)
    programs = list(
        hsds_programs(visible_programs(agency)).select_related("owner").filter(employer__uuid=employer_uuid)
    )
    if not programs:
        raise Http404
    employer = programs[0].employer
    record = hsds.with_japanese(hsds.organization_with_services, employer, programs)
    return json_answer(request, record, last_modified=no_date())


def _service_at_location(program, *, full: bool) -> dict:
    record = hsds.service_at_location_record(program, nested=full)
    if full:
        record["service"] = _flat_service(program)
    return record


@api_endpoint
def hsds_service_at_locations(request: HttpRequest, agency: Agency) -> HttpResponse:
    return _answer(
        request,
        agency,
        lambda: _paged(
            request, list(_programs(request, agency)), lambda p: _service_at_location(p, full=_flag(request, "full"))
        ),
    )


@api_endpoint
def hsds_service_at_location(request: HttpRequest, agency: Agency, service_at_location_id: str) -> HttpResponse:
    for program in hsds_programs(visible_programs(agency)).select_related("owner"):
        if hsds.service_at_location_record(program, nested=False)["id"] == service_at_location_id:
            record = hsds.with_japanese(_service_at_location, program, full=True)
            return json_answer(request, record, last_modified=program.updated_at)
    raise Http404


@api_endpoint
def hsds_taxonomies(request: HttpRequest, agency: Agency) -> HttpResponse:
    search = query_text(request, "search")
    taxonomies = [hsds.engagement_taxonomy()]
    taxonomies = [t for t in taxonomies if not search or search in t["name"] or search in t["description"]]
    return _answer(request, agency, lambda: _paged(request, taxonomies, lambda t: t))


@api_endpoint
def hsds_taxonomy(request: HttpRequest, agency: Agency, taxonomy_id: str) -> HttpResponse:
    taxonomy = hsds.engagement_taxonomy()
    if taxonomy["id"] != taxonomy_id:
        raise Http404
    return json_answer(request, taxonomy, last_modified=None)


@api_endpoint
def hsds_taxonomy_terms(request: HttpRequest, agency: Agency) -> HttpResponse:
    def build() -> dict:
        terms = hsds.engagement_terms()
        search = query_text(request, "search")
        taxonomy = request.GET.get("taxonomy_id", "").strip()
        parent = request.GET.get("parent_id", "").strip()
        if search:
            terms = [t for t in terms if search in t["name"] or search in t["description"] or search == t["code"]]
        if taxonomy:
            terms = [t for t in terms if t.get("taxonomy_id") == taxonomy]
        if parent:
            terms = []  # the engagement types have no parent terms
        return _paged(request, terms, lambda t: t)

    return _answer(request, agency, build)


@api_endpoint
def hsds_taxonomy_term(request: HttpRequest, agency: Agency, taxonomy_term_id: str) -> HttpResponse:
    terms = hsds.with_japanese(hsds.engagement_terms)
    term = _one(next((t for t in terms if t["id"] == taxonomy_term_id), None))
    return json_answer(request, term | {"taxonomy_detail": hsds.engagement_taxonomy()}, last_modified=None)
