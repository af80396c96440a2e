"""The OpenAPI 3.1 document, built from the same filters and field tables the endpoints use
(filters.py, representation.py), in the language of the request (Japanese by default)."""

import django_filters
from django.utils.translation import gettext as _

from sheets.interop.api.filters import (
    KEYWORD_MAX_LENGTH,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    PATTERNS,
    ApiEmployerFilter,
    ApiProgramFilter,
)
from sheets.interop.api.representation import employer_schema, program_schema

API_VERSION = "1.0.0"
HSDS_DOCS = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"
ERROR = {"$ref": "#/components/schemas/Error"}


def _filter_schema(name: str, filter_: django_filters.Filter) -> dict:
    if isinstance(filter_, django_filters.MultipleChoiceFilter):
        values = [value for value, _label in filter_.extra["choices"]]
        return {"type": "array", "items": {"type": "string", "enum": values}}
    if isinstance(filter_, django_filters.ChoiceFilter):
        return {"type": "string", "enum": ["", *(value for value, _label in filter_.extra["choices"])]}
    if name == "q":
        # Django forms refuse NUL characters in text: the pattern says so.
        return {"type": "string", "maxLength": KEYWORD_MAX_LENGTH, "pattern": "^[^\\u0000]*$"}
    return {"type": "string", "pattern": PATTERNS[name]}


def _describe(filter_: django_filters.Filter) -> str:
    """The facet's label as on the search page, what each value means, and what "empty" does."""
    text = str(filter_.label)
    if "choices" in filter_.extra:
        text += ": " + ", ".join(f"`{value}` {label}" for value, label in filter_.extra["choices"])
    if not isinstance(filter_, django_filters.MultipleChoiceFilter):
        text += " " + _("(an empty value: no filter)")
    return text


def _query_parameters(filterset_class) -> list[dict]:
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        parameter = {
            "name": name,
            "in": "query",
            "required": False,
            "description": _describe(filter_),
            "schema": _filter_schema(name, filter_),
        }
        if isinstance(filter_, django_filters.MultipleChoiceFilter):
            parameter |= {"style": "form", "explode": True}
        parameters.append(parameter)
    return [*parameters, {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}]


def _id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}


def _ok(schema_ref: str, description: str) -> dict:
    return {
        "description": description,
        "headers": {
            "ETag": {"$ref": "#/components/headers/ETag"},
            "Last-Modified": {"$ref": "#/components/headers/Last-Modified"},
            "RateLimit-Limit": {"$ref": "#/components/headers/RateLimit-Limit"},
            "RateLimit-Remaining": {"$ref": "#/components/headers/RateLimit-Remaining"},
        },
        "content": {"application/json": {"schema": {"$ref": schema_ref}}},
    }


def _operation(tag: str, operation_id: str, summary: str, parameters: list, ok: dict, *, detail: bool) -> dict:
    responses = {
        "200": ok,
        "304": {"$ref": "#/components/responses/NotModified"},
        "400" if not detail else "404": {
            "$ref": "#/components/responses/BadRequest" if not detail else "#/components/responses/NotFound"
        },
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }
    operation = {"tags": [tag], "operationId": operation_id, "summary": summary, "parameters": parameters}
    return {"get": operation | {"responses": responses}}


def _page_schema(item_ref: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "results": {"type": "array", "items": {"$ref": item_ref}},
            "next": {"type": ["string", "null"], "format": "uri", "description": _("Link to the next page, or null.")},
        },
        "required": ["results", "next"],
        "additionalProperties": False,
    }


def _error_response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": ERROR}}}
    if headers:
        response["headers"] = headers
    return response


def _hsds_schema(table: str) -> dict:
    return {
        "type": "object",
        "description": f"HSDS 3.0 `{table}` ({HSDS_DOCS}#{table})",
        "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}},
        "required": ["id", "name"],
    }


def openapi_document(request) -> dict:
    header = {"schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Work-information registry API"),
            "version": API_VERSION,
            "description": _(
                "Read-only access to the published programs and their employers that counselors of the "
                "token's agency may see. Send the agency's token as `Authorization: Bearer <token>`. "
                "Lists come in a stable order, %(size)d per page by default (at most %(max)d); follow `next`. "
                "Every answer has an ETag: send If-None-Match to get 304 when nothing changed. An answer "
                "about one program also has Last-Modified (If-Modified-Since works there too); lists and "
                "employers, which gather several programs, are validated by their ETag alone."
            )
            % {"size": PAGE_SIZE, "max": MAX_PAGE_SIZE},
        },
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "programs", "description": _("Published programs (sheets ② and ③)")},
            {"name": "employers", "description": _("Employers of published programs (sheet ①)")},
            {
                "name": "hsds",
                "description": _("The same data in Open Referral HSDS 3.0 form"),
                "externalDocs": {"url": HSDS_DOCS},
            },
        ],
        "paths": {
            "/api/v1/programs/": _operation(
                "programs",
                "listPrograms",
                _("Published programs"),
                _query_parameters(ApiProgramFilter),
                _ok("#/components/schemas/ProgramPage", _("A page of programs")),
                detail=False,
            ),
            "/api/v1/programs/{program_id}/": _operation(
                "programs",
                "getProgram",
                _("One published program"),
                [_id_parameter("program_id")],
                _ok("#/components/schemas/Program", _("The program")),
                detail=True,
            ),
            "/api/v1/employers/": _operation(
                "employers",
                "listEmployers",
                _("Employers of published programs"),
                _query_parameters(ApiEmployerFilter),
                _ok("#/components/schemas/EmployerPage", _("A page of employers")),
                detail=False,
            ),
            "/api/v1/employers/{employer_id}/": _operation(
                "employers",
                "getEmployer",
                _("One employer of published programs"),
                [_id_parameter("employer_id")],
                _ok("#/components/schemas/Employer", _("The employer")),
                detail=True,
            ),
            "/api/v1/hsds/services/{program_id}/": _operation(
                "hsds",
                "getHsdsService",
                _("One published program as an Open Referral HSDS 3.0 service"),
                [_id_parameter("program_id")],
                _ok("#/components/schemas/HsdsService", _("The HSDS service (nested)")),
                detail=True,
            ),
            "/api/v1/hsds/organizations/{employer_id}/": _operation(
                "hsds",
                "getHsdsOrganization",
                _("One employer with its published programs as an HSDS 3.0 organization"),
                [_id_parameter("employer_id")],
                _ok("#/components/schemas/HsdsOrganization", _("The HSDS organization with its services")),
                detail=True,
            ),
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "description": _("Results per page"),
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
                },
                "cursor": {
                    "name": "cursor",
                    "in": "query",
                    "required": False,
                    "description": _("Opaque position; take it from the `next` link of the previous page."),
                    "schema": {"type": "string", "pattern": PATTERNS["cursor"]},
                },
            },
            "headers": {
                "ETag": {"required": True, **header},
                "Last-Modified": {"required": False, **header},
                "RateLimit-Limit": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}},
                "RateLimit-Remaining": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}},
            },
            "responses": {
                "NotModified": {"description": _("Not modified since the ETag or date the client sent")},
                "BadRequest": _error_response(_("Some parameters are not valid (see fields)")),
                "NotFound": _error_response(_("No such object among those the token may see")),
                "Unauthorized": _error_response(
                    _("No token, or an unknown or revoked one"),
                    {"WWW-Authenticate": {"required": True, **header}},
                ),
                "TooManyRequests": _error_response(
                    _("The token's rate limit is used up"),
                    {"Retry-After": {"required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
                ),
            },
            "schemas": {
                "Program": program_schema(),
                "Employer": employer_schema(),
                "ProgramPage": _page_schema("#/components/schemas/Program"),
                "EmployerPage": _page_schema("#/components/schemas/Employer"),
                # The full HSDS schemas are large; the records are checked against the official
                # ones in tests/sheets (compiled copies in sheets/interop/hsds_spec/schema/).
                "HsdsService": _hsds_schema("service"),
                "HsdsOrganization": _hsds_schema("organization"),
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {"type": "string"},
                        "detail": {"type": "string"},
                        "fields": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "required": ["error", "detail"],
                },
            },
        },
    }
