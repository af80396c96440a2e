"""Export → import: an exported file (employers or programs, CSV or Excel) imports back with
every row 変更なし; records made on screen (no 管理番号) are found by the ID the export wrote;
another agency's rows are never created or changed and each says so; likely duplicates (same
name and address) get a note; an employer-only file imports."""

import uuid

import pytest
from django.urls import reverse

from registry.models import Employer
from sheets.interop.imports import services as import_services
from sheets.interop.imports.models import ImportBatch, ImportStatus
from sheets.interop.imports.reader import Action
from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.factories import EmployerFactory
from tests.sheets.factories import ProgramFactory
from tests.sheets.import_files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    """Agency A's employers and programs made on screen (no 管理番号) and one with numbers,
    and a published program of agency B in the same region (A's exports list it)."""
    world.employer_a.postal_code = "664-0851"
    world.employer_a.save()
    numbered = EmployerFactory(owner=world.agency_a, name="伊丹内職センター", external_id="E-7", postal_code="")
    ProgramFactory(
        employer=world.employer_a,
        title="袋詰め体験",
        days=["mon", "wed"],
        is_paid=True,
        capacity=3,
        accommodations=["extra_breaks", "written_steps"],
        confirmable=["accuracy", "dexterity"],
        pay="時給1,000円",
        cautions="=1+2 のような式も文字のまま",
    )
    ProgramFactory(employer=numbered, external_id="P-1", title="検品の見学", engagement_type="visit")
    employer_b = EmployerFactory(owner=world.agency_b, name="機関Bの事業所")
    ProgramFactory(employer=employer_b, title="機関Bの体験", status=ProgramStatus.PUBLISHED)
    return world


def _import(client, name: str, data: bytes) -> ImportBatch:
    response = client.post(reverse("import_start"), {"file": upload(name, data)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.get(uuid=response.url.rstrip("/").split("/")[-1])


def _actions(batch: ImportBatch) -> list[tuple[str, str]]:
    return [(row["employer_action"], row["program_action"]) for row in batch.rows]


def _errors(batch: ImportBatch) -> list:
    return [(row["line"], error) for row in batch.rows for error in row["errors"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_program_export_imports_back_unchanged(records, login, fmt):
    client = login(records.coordinator_a)
    exported = client.get(reverse("program_export", args=[fmt]), {"status": "all"})  # drafts too
    assert exported.status_code == 200
    before = {p.pk: (p.version, p.updated_at) for p in Program.objects.all()}
    batch = _import(client, f"export.{fmt}", exported.content)
    assert batch.status == ImportStatus.READY, _errors(batch)
    own = [a for a in _actions(batch) if a[1] != Action.OTHER_AGENCY]
    assert own and all(a == (Action.UNCHANGED, Action.UNCHANGED) for a in own), _actions(batch)
    # Agency B's published program is in A's export: left as it is, and the row says so.
    other = [row for row in batch.rows if row["program_action"] == Action.OTHER_AGENCY]
    assert len(other) == 1
    assert "機関B" in " ".join(note["message"] for note in other[0]["notes"])
    assert batch.counts["programs_create"] == batch.counts["employers_create"] == 0
    assert batch.counts["programs_other_agency"] == 1
    page = client.get(reverse("import_preview", args=[batch.uuid])).content.decode()
    assert "他機関のもの（変更しない）" in page and 'id="notes"' in page and "機関B" in page
    # Confirming writes nothing at all.
    counts = import_services.import_apply(batch, by=records.coordinator_a)
    assert counts["programs_update"] == counts["employers_update"] == 0
    assert {p.pk: (p.version, p.updated_at) for p in Program.objects.all()} == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_employer_export_imports_back_unchanged(records, login, fmt):
    client = login(records.coordinator_a)
    exported = client.get(reverse("employer_export", args=[fmt]))
    batch = _import(client, f"employers.{fmt}", exported.content)
    assert batch.status == ImportStatus.READY, _errors(batch)
    actions = _actions(batch)
    assert (Action.OTHER_AGENCY, "") in actions  # agency B's employer (same region) is listed
    assert all(a in ((Action.UNCHANGED, ""), (Action.OTHER_AGENCY, "")) for a in actions), actions
    assert Program.objects.count() == 3 and Employer.objects.count() == 5


def test_an_edited_export_updates_only_what_changed(records, login):
    client = login(records.coordinator_a)
    text = client.get(reverse("program_export", args=["csv"]), {"status": "all"}).content.decode("utf-8-sig")
    text = text.replace("袋詰め体験", "袋詰めの体験").replace("機関Bの体験", "書き換えた機関Bの体験")
    batch = _import(client, "edited.csv", text.encode("utf-8-sig"))
    assert batch.status == ImportStatus.READY, _errors(batch)
    assert batch.counts["programs_update"] == 1
    import_services.import_apply(batch, by=records.coordinator_a)
    assert Program.objects.filter(title="袋詰めの体験").exists()
    assert Program.objects.filter(title="機関Bの体験").exists()  # another agency's: never changed


def test_employer_only_file_imports(world, login):
    client = login(world.coordinator_a)
    text = (
        "事業所管理番号,事業所名,ふりがな,種別,業種,郵便番号,所在地\r\n"
        "E-9,新しい事業所,あたらしいじぎょうしょ,企業,E,６６４－０８４５,伊丹市東有岡1-1\r\n"
    )
    batch = _import(client, "employers.csv", text.encode("utf-8"))
    assert batch.status == ImportStatus.READY, _errors(batch)
    import_services.import_apply(batch, by=world.coordinator_a)
    employer = Employer.objects.get(external_id="E-9")
    assert employer.postal_code == "664-0845" and employer.owner == world.agency_a


def test_same_name_and_address_is_noted_with_the_choice(world, login):
    client = login(world.coordinator_a)
    existing = world.employer_a
    header = "事業所管理番号,事業所名,ふりがな,種別,業種,所在地"
    lines = [
        f"E-1,{existing.name},みどりしこう,企業,E,{existing.address}",
        "E-2,同じ名前の二社,ふたつ,企業,E,伊丹市中央1丁目2番3号",
        "E-3,同じ名前の二社,ふたつ,企業,E,伊丹市中央1-2-3",
    ]
    batch = _import(client, "dup.csv", "\r\n".join([header, *lines]).encode("utf-8"))
    notes = {row["line"]: " ".join(n["message"] for n in row["notes"]) for row in batch.rows}
    assert str(existing.uuid) in notes[2] and "事業所ID" in notes[2]
    assert notes[3] == ""
    assert "3" in notes[4] and "事業所管理番号" in notes[4]


def test_a_program_id_of_another_agency_is_never_changed(records, login):
    """Even a hand-made file naming another agency's program by its ID: left as it is."""
    client = login(records.coordinator_a)
    other = Program.objects.get(title="機関Bの体験")
    text = (
        "事業所管理番号,事業所名,ふりがな,種別,業種,所在地,プログラムID,プログラム名,参加形態\r\n"
        f"E-7,伊丹内職センター,いたみ,企業,E,伊丹市中央1-1-1,{other.uuid},乗っ取り,見学\r\n"
    )
    batch = _import(client, "other.csv", text.encode("utf-8"))
    assert batch.rows[0]["program_action"] == Action.OTHER_AGENCY
    import_services.import_apply(batch, by=records.coordinator_a)
    other.refresh_from_db()
    assert other.title == "機関Bの体験" and other.sharing_scope == SharingScope.REGION


def test_an_id_the_agency_cannot_see_reads_as_unknown(records, login):
    """Another agency's draft, or an employer of another region, answers 404 everywhere: an import
    naming it by its ID says what it says of an ID that does not exist, not whose it is."""
    client = login(records.coordinator_a)
    employer_c = EmployerFactory(owner=records.agency_c, name="機関Cの事業所")
    draft_c = ProgramFactory(employer=employer_c, title="機関Cの下書き", status=ProgramStatus.DRAFT)
    header = "事業所ID,事業所名,ふりがな,種別,業種,所在地,プログラムID,プログラム名,参加形態"
    lines = [
        f"{employer_c.uuid},どこか,どこか,企業,E,玖珠町1-1,,見学会,見学",
        f",伊丹の事業所,いたみ,企業,E,伊丹市中央1-1-1,{draft_c.uuid},見学会,見学",
        f"{uuid.uuid4()},どこか,どこか,企業,E,玖珠町1-1,,見学会,見学",
        f",伊丹の事業所,いたみ,企業,E,伊丹市中央1-1-1,{uuid.uuid4()},見学会,見学",
    ]
    batch = _import(client, "ids.csv", "\r\n".join([header, *lines]).encode("utf-8"))
    said = [[e["message"] for e in row["errors"] + row["notes"]] for row in batch.rows]
    assert said[0] == said[2] and said[1] == said[3] and said[0] and said[1]
    page = client.get(reverse("import_preview", args=[batch.uuid])).content.decode()
    assert "機関C" not in page and "他機関" not in page
