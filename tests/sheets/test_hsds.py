"""Open Referral HSDS 3.0 export, validated against the official HSDS 3.0 JSON schemas (copied
with their source and licence into tests/data/hsds-3.0/, see SOURCE.md there)."""

import csv
import datetime
import functools
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker

from registry.models import AuditEntry
from sheets.interop import hsds
from sheets.programs.models import ProgramStatus, SharingScope
from sheets.vocabulary import EngagementType
from tests.factories import EmployerFactory
from tests.sheets.search_factories import SearchableProgramFactory

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"


def _format_checker() -> FormatChecker:
    """The 2020-12 checks (uuid, email, date…) plus date-time, which jsonschema checks only with
    an optional package: ISO 8601 with a UTC offset is what HSDS asks for."""
    checker = FormatChecker()  # a new checker: every format jsonschema knows (the shared one stays as it is)

    @checker.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        return not isinstance(value, str) or datetime.datetime.fromisoformat(value).tzinfo is not None

    return checker


@functools.cache
def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@functools.cache
def validator(kind: str) -> Draft202012Validator:
    """`service` and `organization` are the compiled record schemas; any other HSDS table is
    validated against its definition in service_with_definitions.json."""
    if kind == "service":
        schema = _schema("service_with_definitions.json")
    elif kind == "organization":
        schema = _schema("organization.json")
    else:
        definitions = _schema("service_with_definitions.json")["definitions"]
        schema = {"$ref": f"#/definitions/{kind}", "definitions": definitions}
    return Draft202012Validator(schema, format_checker=_format_checker())


def assert_valid(kind: str, record: dict) -> None:
    errors = sorted(validator(kind).iter_errors(record), key=lambda e: list(e.absolute_path))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def _has_no_empty_values(data) -> bool:
    """HSDS types do not allow null; optional fields without a value are left out."""
    if isinstance(data, dict):
        return all(v is not None and _has_no_empty_values(v) for k, v in data.items() if k != "postal_code")
    if isinstance(data, list):
        return all(_has_no_empty_values(v) for v in data)
    return data != ""


@pytest.fixture
def full_program(world):
    employer = world.employer_a
    employer.description = "紙製品の加工・袋詰めをしています。"
    employer.access_notes = "JR伊丹駅から徒歩10分、駐車場あり"
    employer.save()
    return SearchableProgramFactory(
        employer=employer,
        title="部品の袋詰め体験",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        days=["tue", "thu"],
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12, 0),
        period="12月〜3月",
        breaks="10:30に10分",
        meeting_point="正面玄関",
        suits="細かい作業が好きな方",
        how_to_apply="相談員からお申し込みください",
        last_verified_on=datetime.date(2026, 11, 1),
        published_at=datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC),
    )


@pytest.fixture
def bare_program(world):
    """Only what the models require: every optional HSDS field is missing."""
    employer = EmployerFactory(owner=world.agency_a, name="最小の事業所", description="", access_notes="")
    return SearchableProgramFactory(
        employer=employer,
        title="見学",
        engagement_type=EngagementType.VISIT,
        what_you_do="",
        status=ProgramStatus.PUBLISHED,
        days=[],
        start_time=None,
        end_time=None,
    )


def test_the_copied_schemas_are_the_official_ones_with_their_licence():
    source = (SCHEMAS / "SOURCE.md").read_text(encoding="utf-8")
    assert "openreferral/specification" in source and "CC BY-SA 4.0" in source
    assert "Creative Commons Attribution Share-Alike 4.0" in (SCHEMAS / "LICENSE").read_text(encoding="utf-8")
    assert _schema("service_with_definitions.json")["required"] == ["id", "name", "status"]
    assert _schema("organization.json")["required"] == ["id", "name", "description"]


def test_a_full_service_record_is_valid_hsds(full_program):
    record = hsds.with_japanese(hsds.service_record, full_program)
    assert_valid("service", record)
    assert _has_no_empty_values(record)
    assert record["id"] == str(full_program.uuid)
    assert record["organization"]["id"] == str(full_program.employer.uuid)
    (schedule,) = record["schedules"]
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("TU,TH", "09:30", "12:00")
    (at_location,) = record["service_at_locations"]
    assert at_location["location"]["addresses"][0]["address_1"] == full_program.employer.address
    (attribute,) = record["attributes"]
    assert attribute["taxonomy_term"]["code"] == EngagementType.EXPERIENCE
    assert attribute["taxonomy_term"]["taxonomy_detail"]["name"] == hsds.TAXONOMY_NAME


def test_a_program_with_every_optional_field_empty_is_still_valid(bare_program):
    record = hsds.with_japanese(hsds.service_record, bare_program)
    assert_valid("service", record)
    assert _has_no_empty_values(record)
    assert "schedules" not in record and "description" not in record
    organization = hsds.with_japanese(hsds.organization_with_services, bare_program.employer, [bare_program])
    assert_valid("organization", organization)
    assert organization["description"]  # required: made from the kind and industry when empty


def test_every_table_record_is_valid_against_its_definition(full_program, bare_program):
    tables = hsds.with_japanese(hsds.table_rows, [full_program, bare_program])
    assert {name: len(rows) for name, rows in tables.items()} == {
        "organization": 2,
        "service": 2,
        "location": 2,
        "address": 2,
        "service_at_location": 2,
        "schedule": 1,  # the bare program states no days or hours
        "language": 2,
        "taxonomy": 1,
        "taxonomy_term": len(EngagementType.values),
        "attribute": 2,
    }
    for name, rows in tables.items():
        for row in rows:
            assert_valid(name, row)
            assert set(row) <= set(hsds.TABLES[name][1]), name  # every field has its CSV column


def test_table_files_and_names_follow_the_hsds_schemas():
    definitions = _schema("service_with_definitions.json")["definitions"]
    properties = {"service": _schema("service_with_definitions.json")} | definitions
    for name, (path, columns) in hsds.TABLES.items():
        assert path == properties[name]["path"], name
        assert set(columns) <= set(properties[name]["properties"]), name
        assert set(properties[name]["required"]) <= set(columns), name


def _read_package(response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _csv_records(data: bytes, table: str) -> list[dict]:
    """CSV rows back as HSDS records: empty cells are missing fields, numbers are numbers."""
    records = []
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
        record = {k: v for k, v in row.items() if v != "" or k == "postal_code"}
        for number_table, field in hsds.NUMBER_FIELDS:
            if number_table == table and field in record:
                record[field] = float(record[field])
        records.append(record)
    return records


def test_data_package_is_valid_and_holds_only_published_programs(world, login, full_program, bare_program):
    draft = SearchableProgramFactory(employer=world.employer_a, title="下書きは出ない")
    archived = SearchableProgramFactory(employer=world.employer_a, title="終了", status=ProgramStatus.ARCHIVED)
    files = _read_package(login(world.coordinator_a).get(reverse("hsds_datapackage")))
    descriptor = json.loads(files["datapackage.json"])
    assert {resource["path"] for resource in descriptor["resources"]} == set(files) - {"datapackage.json"}
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        records = _csv_records(files[resource["path"]], resource["name"])
        header = next(csv.reader(io.StringIO(files[resource["path"]].decode("utf-8"))))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
        for record in records:
            assert_valid(resource["name"], record)
    services = json.loads(files["services.json"])
    for service in services:
        assert_valid("service", service)
    ids = {service["id"] for service in services}
    assert ids == {str(full_program.uuid), str(bare_program.uuid)}
    assert str(draft.uuid) not in files["services.csv"].decode() and str(archived.uuid) not in ids


def test_data_package_follows_the_search_filters_and_the_users_visibility(world, login, full_program, bare_program):
    files = _read_package(login(world.counselor_b).get(reverse("hsds_datapackage") + "?engagement_type=visit"))
    assert [s["id"] for s in json.loads(files["services.json"])] == [str(bare_program.uuid)]
    # Agency C (another prefecture): A's region-scope programs are not shared with it.
    files = _read_package(login(world.counselor_c).get(reverse("hsds_datapackage")))
    assert json.loads(files["services.json"]) == []
    assert AuditEntry.objects.filter(action="hsds.export").count() == 2


def test_service_and_organization_urls_return_valid_records(world, login, full_program):
    client = login(world.counselor_b)
    response = client.get(reverse("hsds_service", args=[full_program.uuid]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert_valid("service", response.json())
    response = client.get(reverse("hsds_organization", args=[full_program.employer.uuid]))
    organization = response.json()
    assert_valid("organization", organization)
    assert [s["id"] for s in organization["services"]] == [str(full_program.uuid)]
    assert "部品の袋詰め体験" in response.content.decode()  # Japanese as text, not \\u escapes
    entry = AuditEntry.objects.filter(action="hsds.export").first()
    assert entry.detail["format"] in ("service", "organization")


def test_ids_are_uuids_and_stable_from_one_export_to_the_next(full_program, bare_program):
    first = hsds.with_japanese(hsds.table_rows, [full_program, bare_program])
    again = hsds.with_japanese(hsds.table_rows, [bare_program, full_program])
    for name in first:
        ids = [row["id"] for row in first[name]]
        assert len(set(ids)) == len(ids), name
        assert sorted(ids) == sorted(row["id"] for row in again[name]), name
        for value in ids:
            assert uuid.UUID(value)


def test_each_engagement_type_is_a_term_of_our_taxonomy():
    taxonomy = hsds.engagement_taxonomy()
    assert_valid("taxonomy", taxonomy)
    terms = hsds.with_japanese(hsds.engagement_terms)
    assert [t["code"] for t in terms] == list(EngagementType.values)
    for term in terms:
        assert_valid("taxonomy_term", term)
        assert term["taxonomy_id"] == taxonomy["id"]


def test_the_validation_can_fail():
    broken = {"id": "not-a-uuid", "name": "x", "status": "published", "last_modified": "2026-11-27 10:00"}
    messages = {e.message for e in validator("service").iter_errors(broken)}
    assert any("uuid" in m for m in messages)
    assert any("published" in m for m in messages)
    assert any("date-time" in m for m in messages)
    assert list(validator("organization").iter_errors({"id": str(uuid.uuid4()), "name": "x"}))  # no description
    assert list(validator("schedule").iter_errors({"id": str(uuid.uuid4()), "timezone": "9"}))  # not a number
