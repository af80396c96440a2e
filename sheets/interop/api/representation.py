"""What a program and an employer look like in the API, and the JSON Schema of each.

Both come from the same tables of field names: a field's JSON value and its schema are
derived from its model field (type, choices, null), so the OpenAPI document cannot drift
from what the endpoints return (schemathesis checks every response against it).

Employers show what sheet ① shows to clients (no contact person, no visits); programs show
what sheets ② and ③ show to counselors (no staff names, no review comments, no referrals)."""

import datetime

from django.db import models
from django.urls import reverse

from registry.models import Employer
from sheets.fields import ChoiceListField, RatingsField
from sheets.printing.models import EmployerIntro, Facility
from sheets.programs.models import Program
from sheets.programs.services import PROGRAM_FIELDS as EDITABLE_PROGRAM_FIELDS

# What the API shows of a program: the editable fields (one list, in sheets/services.py) and
# the verification and publication dates.
PROGRAM_FIELDS = (
    *EDITABLE_PROGRAM_FIELDS,
    "last_verified_on",
    "verification_method",
    "published_at",
    "updated_at",
)
EMPLOYER_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "industry",
    "address",
    "access_notes",
    "description",
    "staff_count",
    "updated_at",
)
INTRO_FIELDS = ("atmosphere", "house_rules", "message")


# --- Values and schemas of model fields ------------------------------------------------------


def _value(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(field, models.TimeField):
        return value.strftime("%H:%M")
    return value


def _schema(field: models.Field) -> dict:
    schema: dict
    if isinstance(field, ChoiceListField):
        schema = {"type": "array", "items": {"type": "string", "enum": list(field.item_choices.values)}}
    elif isinstance(field, RatingsField):
        schema = {
            "type": "object",
            "description": "0–3 per dimension; a missing dimension is not rated.",
            "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 3},
        }
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer", "minimum": 0}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.TimeField):
        schema = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
    elif field.choices:
        schema = {"type": "string", "enum": [value for value, _ in field.flatchoices] + ([""] if field.blank else [])}
    else:
        schema = {"type": "string"}
    if field.null:
        schema["type"] = [schema["type"], "null"]
    schema["title"] = str(field.verbose_name)
    return schema


def _fields(model, names) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]


def _values(obj, fields: list[models.Field]) -> dict:
    return {field.name: _value(field, getattr(obj, field.attname)) for field in fields}


def _object_schema(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


# --- Program -------------------------------------------------------------------------------------


def program_url(request, program: Program) -> str:
    return request.build_absolute_uri(reverse("api_program_detail", args=[program.uuid]))


def employer_url(request, employer: Employer) -> str:
    return request.build_absolute_uri(reverse("api_employer_detail", args=[employer.uuid]))


def _region(region) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "prefecture": {"code": region.prefecture.code, "name": region.prefecture.name},
    }


def program_json(request, program: Program) -> dict:
    """`program` comes with employer__region__prefecture, owner and timetable loaded."""
    return {
        "id": str(program.uuid),
        "url": program_url(request, program),
        **_values(program, _fields(Program, PROGRAM_FIELDS)),
        "revision": program.revision,
        "timetable": [{"time": row.time, "activity": row.activity} for row in program.timetable.all()],
        "employer": {
            "id": str(program.employer.uuid),
            "url": employer_url(request, program.employer),
            "name": program.employer.name,
            "name_kana": program.employer.name_kana,
            "region": _region(program.employer.region),
        },
        "agency": {"id": str(program.owner.uuid), "name": program.owner.name},
    }


def employer_json(request, employer: Employer, programs: list[Program]) -> dict:
    """`programs`: the employer's programs the token may see (published only)."""
    intro = getattr(employer, "intro", None)
    return {
        "id": str(employer.uuid),
        "url": employer_url(request, employer),
        **_values(employer, _fields(Employer, EMPLOYER_FIELDS)),
        "region": _region(employer.region),
        "introduction": None
        if intro is None
        else {**_values(intro, _fields(EmployerIntro, INTRO_FIELDS)), "facilities": list(intro.facilities)},
        "agency": {"id": str(employer.owner.uuid), "name": employer.owner.name},
        "programs": [
            {
                "id": str(p.uuid),
                "url": program_url(request, p),
                "title": p.title,
                "engagement_type": p.engagement_type,
            }
            for p in programs
        ],
    }


# --- Schemas (OpenAPI components) -----------------------------------------------------------

UUID = {"type": "string", "format": "uuid"}
URL = {"type": "string", "format": "uri"}
STRING = {"type": "string"}
REGION = _object_schema(
    {"code": STRING, "name": STRING, "prefecture": _object_schema({"code": STRING, "name": STRING})}
)
AGENCY = _object_schema({"id": UUID, "name": STRING})


def program_schema() -> dict:
    fields = {field.name: _schema(field) for field in _fields(Program, PROGRAM_FIELDS)}
    return _object_schema(
        {
            "id": UUID,
            "url": URL,
            **fields,
            "revision": {"type": "integer", "minimum": 1, "title": "revision (第N版)"},
            "timetable": {"type": "array", "items": _object_schema({"time": STRING, "activity": STRING})},
            "employer": _object_schema({"id": UUID, "url": URL, "name": STRING, "name_kana": STRING, "region": REGION}),
            "agency": AGENCY,
        }
    )


def employer_schema() -> dict:
    fields = {field.name: _schema(field) for field in _fields(Employer, EMPLOYER_FIELDS)}
    intro = {field.name: _schema(field) for field in _fields(EmployerIntro, INTRO_FIELDS)}
    intro["facilities"] = {"type": "array", "items": {"type": "string", "enum": list(Facility.values)}}
    program_summary = _object_schema(
        {
            "id": UUID,
            "url": URL,
            "title": STRING,
            "engagement_type": _schema(Program._meta.get_field("engagement_type")),
        }
    )
    return _object_schema(
        {
            "id": UUID,
            "url": URL,
            **fields,
            "region": REGION,
            "introduction": {"oneOf": [_object_schema(intro), {"type": "null"}]},
            "agency": AGENCY,
            "programs": {"type": "array", "items": program_summary},
        }
    )
