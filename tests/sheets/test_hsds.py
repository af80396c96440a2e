"""Open Referral HSDS 3.0 export, validated against the official HSDS 3.0 JSON schemas (copied
with their source and licence into sheets/interop/hsds_spec/schema/, see SOURCE.md there)."""

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
from sheets.interop.api.hsds_openapi import SCHEMA_DIR
from sheets.programs.models import ProgramStatus, SharingScope
from sheets.vocabulary import EngagementType
from tests.factories import EmployerFactory
from tests.sheets.search_factories import SearchableProgramFactory

SCHEMAS = SCHEMA_DIR


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
    employer.postal_code = "664-0851"
    employer.save()
    world.agency_a.phone = "072-000-1111"
    world.agency_a.email = "soudan@example.jp"
    world.agency_a.save()
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
        is_paid=True,
        pay="時給1,050円",
        travel_costs="実費支給（上限500円）",
        accommodations=["extra_breaks", "written_steps"],
        accommodations_notes="手順書を写真付きで用意します",
        application_window="通年",
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
    assert "Creative Commons Attribution Share-Alike 4.0" in (SCHEMAS.parent / "LICENSE").read_text(encoding="utf-8")
    assert _schema("service_with_definitions.json")["required"] == ["id", "name", "status"]
    assert _schema("organization.json")["required"] == ["id", "name", "description"]


def test_a_full_service_record_is_valid_hsds(full_program):
    record = hsds.with_japanese(hsds.service_record, full_program)
    assert_valid("service", record)
    assert _has_no_empty_values(record)
    assert record["id"] == str(full_program.uuid)
    assert record["organization"]["id"] == str(full_program.employer.uuid)
    (schedule,) = record["schedules"]
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "TU,TH",
        "09:30:00+09:00",
        "12:00:00+09:00",
    )
    assert [(c["option"], c["amount_description"]) for c in record["cost_options"]] == [
        ("給与・謝礼", "時給1,050円"),
        ("交通費", "実費支給（上限500円）"),
    ]
    assert record["fees_description"] == "給与・謝礼: 時給1,050円／交通費: 実費支給（上限500円）"
    (area,) = record["service_areas"]
    assert area["name"] == "兵庫県伊丹市" and "地域" in area["description"]
    (contact,) = record["contacts"]
    assert contact["name"] == "機関A" and contact["phones"][0]["number"] == "072-000-1111"
    (access,) = record["service_at_locations"][0]["location"]["accessibility"]
    assert "休憩を多めに" in access["description"] and "手順書" in access["details"]
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
        "program": 0,  # referred to by service.program_id: shipped with its header only
        "service": 2,
        "attribute": 2,
        "service_at_location": 2,
        "location": 2,
        "phone": 2,  # agency A's phone, on each program's contact
        "contact": 2,
        "address": 1,  # the bare program's employer has no postal code: no address
        "schedule": 1,  # the bare program states no days or hours
        "service_area": 2,
        "language": 2,
        "accessibility": 2,  # 配慮, or at least "a supporter may come along"
        "taxonomy_term": len(EngagementType.values),
        "cost_option": 2,
        "taxonomy": 1,
    }
    columns = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in hsds.shipped_resources()}
    for name, rows in tables.items():
        for row in rows:
            assert_valid(name, row)
            assert set(row) <= columns[name], name  # every field has its CSV column


def test_the_descriptor_is_the_official_one_with_the_shipped_tables():
    official = json.loads((hsds.SPEC_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert official["name"] == "human_services_data" and official["version"] == "3.0.0"
    descriptor = hsds.datapackage_descriptor()
    by_name = {r["name"]: r for r in official["resources"]}
    for resource in descriptor["resources"]:
        assert resource == by_name[resource["name"]]  # unchanged: fields, types, keys
    assert "services.json" not in {r["path"] for r in descriptor["resources"]}


def _read_package(response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        # Unzipped, every file is readable by the colleagues who share the folder (rw-r--r--).
        assert {entry.external_attr >> 16 for entry in archive.infolist()} == {0o100644}
        return {name: archive.read(name) for name in archive.namelist()}


def _csv_records(data: bytes, resource: dict) -> list[dict]:
    """CSV rows back as HSDS records: empty cells are missing fields, numbers are numbers."""
    numbers = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"}
    records = []
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
        record = {k: (float(v) if k in numbers else v) for k, v in row.items() if v != ""}
        records.append(record)
    return records


def test_frictionless_finds_the_package_valid(world, login, full_program, bare_program, tmp_path):
    """The official descriptor, foreign keys included, checked by Open Referral's own tool."""
    from frictionless import Package, system

    SearchableProgramFactory(employer=world.employer_a, title="=1+2 のような名前", status=ProgramStatus.PUBLISHED)
    files = _read_package(login(world.coordinator_a).get(reverse("hsds_datapackage")))
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [f"{task.name}: {error.type} {error.note}" for task in report.tasks for error in task.errors]
    assert report.valid, errors + [str(e) for e in report.errors]
    assert report.stats["tasks"] == len(json.loads(files["datapackage.json"])["resources"])


def test_data_package_is_valid_and_holds_only_published_programs(world, login, full_program, bare_program):
    draft = SearchableProgramFactory(employer=world.employer_a, title="下書きは出ない")
    archived = SearchableProgramFactory(employer=world.employer_a, title="終了", status=ProgramStatus.ARCHIVED)
    files = _read_package(login(world.coordinator_a).get(reverse("hsds_datapackage")))
    descriptor = json.loads(files["datapackage.json"])
    assert {resource["path"] for resource in descriptor["resources"]} == set(files) - {
        "datapackage.json",
        "services.json",
    }
    for resource in descriptor["resources"]:
        records = _csv_records(files[resource["path"]], resource)
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


def test_the_mapping_in_docs_lists_every_hsds_column_of_the_tables():
    from registry.columns import EMPLOYER_FIELDS
    from sheets.programs.columns import program_fields

    docs = (Path(__file__).resolve().parents[2] / "docs" / "hsds.md").read_text(encoding="utf-8")
    for field in (*EMPLOYER_FIELDS, *program_fields()):
        if field.hsds:
            assert f"| {field.header} | {field.hsds} |" in docs, field.header
