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
from functools import cache
from pathlib import Path

from django.utils import timezone, translation

from registry.models import Employer
from sheets.programs.models import Program
from sheets.vocabulary import Accommodation, EngagementType

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
JAPAN_OFFSET = "+09:00"
TAXONOMY_URI = "urn:shigoto-joho:taxonomy:engagement-type"
CONTACT_TITLE = "申込・問い合わせの窓口（担当の支援機関）"
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
    """A time of day in Japan time, with its offset (HSDS: RFC 3339 full-time)."""
    return value.strftime("%H:%M:%S") + JAPAN_OFFSET if value else None


# --- Taxonomy of engagement types ---------------------------------------------------------


def engagement_taxonomy() -> dict:
    return _record(
        {"id": derived_id("taxonomy", TAXONOMY_NAME), "name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION},
        uri=TAXONOMY_URI,
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
        term_uri=f"{TAXONOMY_URI}:{value}",
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


def address_record(employer: Employer) -> dict | None:
    """The workplace's address; None without a postal code (HSDS requires one, and an
    address without it would be incomplete: the location is then published without address)."""
    if not employer.postal_code:
        return None
    return _record(
        {
            "id": derived_id("address", employer.uuid),
            "address_1": employer.address,
            "city": employer.region.name,
            "state_province": employer.region.prefecture.name,
            "postal_code": employer.postal_code,
            "country": COUNTRY,
            "address_type": "physical",
        },
        location_id=derived_id("location", employer.uuid),
    )


def accessibility_record(program: Program) -> dict | None:
    """配慮 (the accommodations the workplace offers for this program) and whether a supporter
    may come along: HSDS keeps accessibility per location, so one record per program there."""
    names = dict(Accommodation.choices)
    labels = "・".join(str(names.get(value, value)) for value in program.accommodations or [])
    details = [program.accommodations_notes]
    if program.supporter_may_accompany:
        details.append("支援員の同行ができます。")
    details_text = " ".join(filter(None, details))
    if not (labels or details_text):
        return None
    return _record(
        {"id": derived_id("accessibility", program.uuid)},
        location_id=derived_id("location", program.employer.uuid),
        description=labels and f"{program.title}: {labels}",
        details=details_text,
    )


def location_record(employer: Employer, *, nested: bool = True, programs: Iterable[Program] = ()) -> dict:
    address = address_record(employer)
    accessibility = [record for program in programs if (record := accessibility_record(program))]
    return _record(
        {"id": derived_id("location", employer.uuid), "location_type": "physical"},
        organization_id=str(employer.uuid),
        name=employer.name,
        transportation=employer.access_notes,
        addresses=[address] if nested and address else None,
        accessibility=accessibility if nested else None,
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
    location = location_record(program.employer, nested=nested, programs=[program])
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


def cost_option_records(program: Program) -> list[dict]:
    """Pay or rewards and travel costs, as written (amounts are free text in the registry)."""
    options = (("給与・謝礼", program.pay), ("交通費", program.travel_costs))
    if program.is_paid and not program.pay:
        options = (("給与・謝礼", "あり（金額は相談員にお問い合わせください）"), options[1])
    return [
        _record(
            {"id": derived_id("cost_option", program.uuid, option), "service_id": str(program.uuid)},
            option=option,
            amount_description=text,
        )
        for option, text in options
        if text
    ]


def fees_description(program: Program) -> str:
    return "／".join(f"{r['option']}: {r['amount_description']}" for r in cost_option_records(program))


def service_area_record(program: Program) -> dict:
    """Where the program is offered: the employer's municipality; the description says which
    agencies may refer to it (the sharing scope)."""
    region = program.employer.region
    return _record(
        {"id": derived_id("service_area", program.uuid), "service_id": str(program.uuid)},
        name=f"{region.prefecture.name}{region.name}",
        description=f"共有範囲: {program.get_sharing_scope_display()}",
        extent_type="municipality",
        extent=region.code,
    )


def contact_record(program: Program, *, nested: bool = True) -> dict:
    """The owning agency's contact point (never a person's data): clients apply through it."""
    agency = program.owner
    phone = phone_record(program)
    return _record(
        {"id": derived_id("contact", program.uuid, agency.uuid)},
        service_id=str(program.uuid),
        name=agency.name,
        title=CONTACT_TITLE,
        email=agency.email,
        phones=[phone] if nested and phone else None,
    )


def phone_record(program: Program) -> dict | None:
    agency = program.owner
    if not agency.phone:
        return None
    return {
        "id": derived_id("phone", program.uuid, agency.uuid),
        "contact_id": derived_id("contact", program.uuid, agency.uuid),
        "number": agency.phone,
        "type": "voice",
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
        fees_description=fees_description(program),
        alert=program.application_window and f"申込期間: {program.application_window}",
        assured_date=program.last_verified_on.isoformat() if program.last_verified_on else None,
        last_modified=_iso(program.updated_at),
        organization=organization_record(program.employer) if nested else None,
        service_at_locations=[service_at_location_record(program)] if nested else None,
        schedules=[schedule] if nested and schedule else None,
        attributes=[engagement_attribute(program)] if nested else None,
        languages=[language_record(program)] if nested else None,
        cost_options=cost_option_records(program) if nested else None,
        service_areas=[service_area_record(program)] if nested else None,
        contacts=[contact_record(program)] if nested else None,
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

SPEC_DIR = Path(__file__).resolve().parent / "hsds_spec"
# The tables this product fills, by their HSDS resource name. The package ships these and
# every table they refer to by foreign key (those we do not fill, e.g. `program`, ship with
# their header only), so that the official descriptor's keys all resolve.
FILLED_TABLES = (
    "organization",
    "service",
    "location",
    "address",
    "service_at_location",
    "schedule",
    "language",
    "taxonomy",
    "taxonomy_term",
    "attribute",
    "cost_option",
    "service_area",
    "accessibility",
    "contact",
    "phone",
)


@cache
def official_descriptor() -> dict:
    """Open Referral's own HSDS 3.0 `datapackage.json` (hsds_spec/SOURCE.md)."""
    return json.loads((SPEC_DIR / "datapackage.json").read_text(encoding="utf-8"))


def shipped_resources() -> list[dict]:
    """The official resources of the tables shipped, in the official order."""
    resources = {resource["name"]: resource for resource in official_descriptor()["resources"]}
    wanted, todo = set(), list(FILLED_TABLES)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += [key["reference"]["resource"] for key in resources[name]["schema"].get("foreignKeys", [])]
    return [resource for name, resource in resources.items() if name in wanted]


def table_rows(programs: Iterable[Program]) -> dict[str, list[dict]]:
    """Every table's records (flat, no nesting), each record once."""
    tables: dict[str, dict[str, dict]] = {resource["name"]: {} for resource in shipped_resources()}

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
        add("accessibility", accessibility_record(program))
        add("service", service_record(program, nested=False))
        add("service_at_location", service_at_location_record(program, nested=False))
        add("schedule", schedule_record(program))
        add("language", language_record(program))
        add("attribute", engagement_attribute(program, nested=False))
        for option in cost_option_records(program):
            add("cost_option", option)
        add("service_area", service_area_record(program))
        add("contact", contact_record(program, nested=False))
        add("phone", phone_record(program))
    return {name: list(records.values()) for name, records in tables.items()}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(columns: list[str], records: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    # Data, not a spreadsheet: values as they are (the formula guard is for the CSV/Excel exports).
    writer.writerows([_cell(record.get(column)) for column in columns] for record in records)
    return out.getvalue()


def datapackage_descriptor() -> dict:
    """The official descriptor with only the shipped tables; `services.json` (the nested
    records) is in the zip too but is not a tabular resource."""
    descriptor = {key: value for key, value in official_descriptor().items() if key != "resources"}
    descriptor["resources"] = shipped_resources()
    descriptor["created"] = timezone.now().isoformat()
    return descriptor


def data_package(programs: Iterable[Program]) -> bytes:
    """A zip: datapackage.json, one CSV per HSDS table, and services.json (the nested records)."""
    programs = list(programs)
    tables = table_rows(programs)
    descriptor = datapackage_descriptor()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "datapackage.json", to_json(descriptor))
        for resource in descriptor["resources"]:
            columns = [field["name"] for field in resource["schema"]["fields"]]
            _add(archive, resource["path"], _csv(columns, tables[resource["name"]]))
        _add(archive, "services.json", to_json([service_record(program) for program in programs]))
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, text: str) -> None:
    """A file readable by everyone once unzipped (rw-r--r--): `writestr` with a bare name gives
    rw-------, and a colleague on a shared drive could not open what was unzipped."""
    entry = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o100644 << 16
    archive.writestr(entry, text)


def to_json(data) -> str:
    # Japanese stays readable (and searchable) in the files.
    return json.dumps(data, ensure_ascii=False, indent=2)


def with_japanese(function, *args, **kwargs):
    """Choice labels in the records are Japanese whatever language the user reads the UI in."""
    with translation.override("ja"):
        return function(*args, **kwargs)
