"""Open Referral HSDS 3.0 mapping of published programs: pure functions from our records to
HSDS records, usable by any view or API.

- organization = the employer (事業所); its contact person and phone are NOT exported: HSDS
  data is meant for directories outside the agencies, and clients apply through a counselor;
- service = the program (published only: status "active");
- location (+ address) = the employer's workplace; service_at_location links the two;
- schedule = the program's days (iCal BYDAY) and hours, weekly, in Japan time (UTC+9);
- the engagement type (形態: 見学・体験・アルバイト・柔軟な雇用) is a taxonomy of our own
  ("shigoto-engagement-type") with one taxonomy_term per type, attached to each service
  through an attribute;
- every id is a UUID: our own UUID for employers and programs, and for the records we derive
  (location, schedule, …) a name-based UUID (uuid5) of the owner's UUID, so ids stay the same
  from one export to the next.

Optional fields with no value are left out (HSDS types do not allow null). Texts are Japanese
whatever the UI language (`translation.override("ja")` in `with_japanese`)."""

import csv
import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Iterable

from django.utils import timezone, translation

from registry.models import Employer
from sheets.programs.models import Program
from sheets.vocabulary import EngagementType

# Fixed namespace of this product's derived HSDS ids (never change it: ids would change).
ID_NAMESPACE = uuid.UUID("eeecd3c8-fedd-47d8-b809-3e6261a5086a")
TAXONOMY_NAME = "shigoto-engagement-type"
TAXONOMY_DESCRIPTION = "しごと情報レジストリの参加形態（見学・体験・短期／短時間アルバイト・柔軟な雇用）"
TAXONOMY_VERSION = "1"
ENGAGEMENT_DESCRIPTIONS = {
    EngagementType.VISIT: "職場を見学する（1〜2時間程度、報酬なし）",
    EngagementType.EXPERIENCE: "雇用契約を結ばずに仕事を体験する（保険の手配が必要、謝礼がある場合も）",
    EngagementType.PART_TIME: "雇用契約を結んで短期間・短時間働く（有償）",
    EngagementType.FLEXIBLE: "時間や作業をその人に合わせて調整した雇用",
}
ICAL_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
JAPAN_UTC_OFFSET = 9
COUNTRY = "JP"
APPLY_THROUGH_COUNSELOR = "参加を希望する方は、相談している支援機関の相談員を通して申し込んでください。"


def derived_id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(str(part) for part in parts)))


def _record(required: dict, **optional) -> dict:
    """Required fields as given; optional ones only when they have a value."""
    return required | {key: value for key, value in optional.items() if value not in (None, "", [], {})}


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


# --- Taxonomy of engagement types ---------------------------------------------------------


def engagement_taxonomy() -> dict:
    return _record(
        {"id": derived_id("taxonomy", TAXONOMY_NAME), "name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION},
        version=TAXONOMY_VERSION,
    )


def engagement_term(value: str) -> dict:
    return _record(
        {
            "id": derived_id("taxonomy_term", TAXONOMY_NAME, value),
            "name": str(EngagementType(value).label),
            "description": ENGAGEMENT_DESCRIPTIONS[EngagementType(value)],
        },
        code=value,
        taxonomy=TAXONOMY_NAME,
        taxonomy_id=engagement_taxonomy()["id"],
        language="ja",
    )


def engagement_terms() -> list[dict]:
    return [engagement_term(value) for value in EngagementType.values]


def engagement_attribute(program: Program, *, nested: bool = True) -> dict:
    term = engagement_term(program.engagement_type)
    return _record(
        {"id": derived_id("attribute", program.uuid, TAXONOMY_NAME)},
        link_id=str(program.uuid),
        taxonomy_term_id=term["id"],
        link_type="engagement_type",
        link_entity="service",
        value=program.engagement_type,
        taxonomy_term=(term | {"taxonomy_detail": engagement_taxonomy()}) if nested else None,
    )


# --- Organization, location, address --------------------------------------------------------


def organization_record(employer: Employer) -> dict:
    description = employer.description or f"{employer.get_kind_display()}（{employer.get_industry_display()}）"
    return _record(
        {"id": str(employer.uuid), "name": employer.name, "description": description},
        alternate_name=employer.name_kana,
    )


def address_record(employer: Employer) -> dict:
    return _record(
        {
            "id": derived_id("address", employer.uuid),
            "address_1": employer.address,
            "city": employer.region.name,
            "state_province": employer.region.prefecture.name,
            "postal_code": "",  # not kept by the registry; required by HSDS, so present and empty
            "country": COUNTRY,
            "address_type": "physical",
        },
        location_id=derived_id("location", employer.uuid),
    )


def location_record(employer: Employer, *, nested: bool = True) -> dict:
    return _record(
        {"id": derived_id("location", employer.uuid), "location_type": "physical"},
        organization_id=str(employer.uuid),
        name=employer.name,
        transportation=employer.access_notes,
        addresses=[address_record(employer)] if nested else None,
    )


# --- Service, schedule, service_at_location --------------------------------------------------


def schedule_record(program: Program) -> dict | None:
    """The weekly days and hours, or None when the program states neither."""
    byday = ",".join(ICAL_DAYS[day] for day in program.days or [] if day in ICAL_DAYS)
    if not (byday or program.start_time or program.end_time):
        return None
    return _record(
        {"id": derived_id("schedule", program.uuid)},
        service_id=str(program.uuid),
        freq="WEEKLY",
        wkst="MO",
        byday=byday,
        opens_at=_time(program.start_time),
        closes_at=_time(program.end_time),
        timezone=JAPAN_UTC_OFFSET,
        description=program.period,
        notes=program.breaks,
    )


def service_at_location_record(program: Program, *, nested: bool = True) -> dict:
    location = location_record(program.employer, nested=nested)
    return _record(
        {"id": derived_id("service_at_location", program.uuid, location["id"])},
        service_id=str(program.uuid),
        location_id=location["id"],
        description=program.meeting_point and f"集合場所: {program.meeting_point}",
        location=location if nested else None,
    )


def language_record(program: Program) -> dict:
    return {
        "id": derived_id("language", program.uuid, "ja"),
        "service_id": str(program.uuid),
        "name": "日本語",
        "code": "ja",
    }


def service_record(program: Program, *, nested: bool = True) -> dict:
    """One service; `nested` adds the organization, locations, schedules, attributes and
    languages inside it (the HSDS API form), otherwise only the service's own fields (a CSV row)."""
    schedule = schedule_record(program)
    return _record(
        {"id": str(program.uuid), "name": program.title, "status": "active"},
        organization_id=str(program.employer.uuid),
        description=program.what_you_do,
        application_process=program.how_to_apply or APPLY_THROUGH_COUNSELOR,
        eligibility_description=program.suits,
        assured_date=program.last_verified_on.isoformat() if program.last_verified_on else None,
        last_modified=_iso(program.updated_at),
        organization=organization_record(program.employer) if nested else None,
        service_at_locations=[service_at_location_record(program)] if nested else None,
        schedules=[schedule] if nested and schedule else None,
        attributes=[engagement_attribute(program)] if nested else None,
        languages=[language_record(program)] if nested else None,
    )


def organization_with_services(employer: Employer, programs: Iterable[Program]) -> dict:
    """The organization record with its locations and (nested) services: the API form."""
    services = []
    for program in programs:
        service = service_record(program)
        service.pop("organization", None)  # it is the enclosing record
        services.append(service)
    return _record(organization_record(employer), locations=[location_record(employer)], services=services)


# --- Tabular data package ----------------------------------------------------------------------

# The CSV files of the package and their columns (HSDS names; file names as in the HSDS schemas).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "alternate_name", "description")),
    "service": (
        "services.csv",
        (
            "id",
            "organization_id",
            "name",
            "description",
            "status",
            "application_process",
            "eligibility_description",
            "assured_date",
            "last_modified",
        ),
    ),
    "location": ("locations.csv", ("id", "location_type", "organization_id", "name", "transportation")),
    "address": (
        "addresses.csv",
        ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    ),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "schedule": (
        "schedules.csv",
        ("id", "service_id", "freq", "wkst", "byday", "opens_at", "closes_at", "timezone", "description", "notes"),
    ),
    "language": ("languages.csv", ("id", "service_id", "name", "code")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "version")),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ("id", "code", "name", "description", "taxonomy", "taxonomy_id", "language"),
    ),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")),
}
NUMBER_FIELDS = {("schedule", "timezone")}


def table_rows(programs: Iterable[Program]) -> dict[str, list[dict]]:
    """Every table's records (flat, no nesting), each record once."""
    tables: dict[str, dict[str, dict]] = {name: {} for name in TABLES}

    def add(table: str, record: dict | None) -> None:
        if record is not None:
            tables[table].setdefault(record["id"], record)

    add("taxonomy", engagement_taxonomy())
    for term in engagement_terms():
        add("taxonomy_term", term)
    for program in programs:
        employer = program.employer
        add("organization", organization_record(employer))
        add("location", location_record(employer, nested=False))
        add("address", address_record(employer))
        add("service", service_record(program, nested=False))
        add("service_at_location", service_at_location_record(program, nested=False))
        add("schedule", schedule_record(program))
        add("language", language_record(program))
        add("attribute", engagement_attribute(program, nested=False))
    return {name: list(records.values()) for name, records in tables.items()}


def _csv(columns: tuple[str, ...], records: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    # Data, not a spreadsheet: values as they are (the formula guard is for the CSV/Excel exports).
    writer.writerows(records)
    return out.getvalue()


def _field(table: str, name: str) -> dict:
    if (table, name) in NUMBER_FIELDS:
        return {"name": name, "type": "number"}
    if name == "id" or name.endswith("_id"):
        return {"name": name, "type": "string", "format": "uuid"}
    return {"name": name, "type": "string"}


def datapackage_descriptor(tables: dict[str, list[dict]]) -> dict:
    resources = [
        {
            "name": table,
            "path": path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": {"fields": [_field(table, column) for column in columns], "primaryKey": "id"},
        }
        for table, (path, columns) in TABLES.items()
    ]
    resources.append(
        {
            "name": "services_json",
            "path": "services.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": "HSDS 3.0 service records with their organization, locations, schedules and attributes",
        }
    )
    return {
        "name": "shigoto-hsds-export",
        "title": "しごと情報 公開プログラム（Open Referral HSDS 3.0）",
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(),
        "resources": resources,
    }


def data_package(programs: Iterable[Program]) -> bytes:
    """A zip: datapackage.json, one CSV per HSDS table, and services.json (the nested records)."""
    programs = list(programs)
    tables = table_rows(programs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", to_json(datapackage_descriptor(tables)))
        for table, (path, columns) in TABLES.items():
            archive.writestr(path, _csv(columns, tables[table]))
        archive.writestr("services.json", to_json([service_record(program) for program in programs]))
    return out.getvalue()


def to_json(data) -> str:
    # Japanese stays readable (and searchable) in the files.
    return json.dumps(data, ensure_ascii=False, indent=2)


def with_japanese(function, *args, **kwargs):
    """Choice labels in the records are Japanese whatever language the user reads the UI in."""
    with translation.override("ja"):
        return function(*args, **kwargs)
