"""The sheet PDF cache: a repeat print is a hit only while nothing the sheet prints has changed.

The key is a digest of the sheet's HTML (sheets.printing.sheet_cache_key). These tests change
one printed fact at a time — with plain UPDATEs where they can, so that no revision number or
update time is bumped — and expect a new key."""

import pytest
from django.core.cache import cache
from django.utils import translation

from registry.models import Agency, Employer, Prefecture, Region, User
from sheets.breakdowns.models import TaskRow
from sheets.clients.models import ErasedOutcomeCount, Referral
from sheets.printing import sheets as printing
from sheets.printing.models import EmployerIntro, Photo
from sheets.programs.access import SHEET_RELATED, get_program_for_user
from sheets.programs.models import Program, ProgramStatus, SharingScope, TimetableRow
from tests.sheets.client_factories import ReferralFactory
from tests.sheets.factories import ProgramFactory, TaskRowFactory, TimetableRowFactory
from tests.sheets.print_factories import EmployerIntroFactory, PhotoFactory
from tests.sheets.test_print import text_of


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def program(world):
    row = TaskRowFactory(breakdown__employer=world.employer_a, postures=["sitting"], place="indoor")
    program = ProgramFactory(
        employer=world.employer_a,
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        demands={"dexterity": 3, "people": 0},
        verified_by=world.coordinator_a,
    )
    program.source_rows.set([row])
    TimetableRowFactory(program=program, time="9:00", activity="あいさつ")
    PhotoFactory(employer=world.employer_a, program=program, caption="作業台")
    for _ in range(2):
        ReferralFactory(program=program)
    EmployerIntroFactory(employer=world.employer_a)
    return program


def sheet_key(user, program, kind: str) -> str:
    """The key a print by `user` would look up now, the program read again through the door."""
    fresh = get_program_for_user(user, program.uuid, related=SHEET_RELATED)
    return printing.sheet_cache_key(fresh, kind, printing.program_context(fresh, kind, user=user))


# What each sheet prints beyond the program itself, changed without touching the program row.
FACTS = {
    "program text": ("supporter", lambda p: Program.objects.filter(pk=p.pk).update(cautions="刃物に注意")),
    "employer": ("supporter", lambda p: Employer.objects.filter(pk=p.employer_id).update(access_notes="駅から徒歩")),
    "owning agency": ("supporter", lambda p: Agency.objects.filter(pk=p.owner_id).update(name="新しい機関名")),
    "region": ("client", lambda p: Region.objects.filter(pk=p.owner.region_id).update(name="宝塚市")),
    "prefecture": ("client", lambda p: Prefecture.objects.filter(pk=p.owner.region.prefecture_id).update(name="県")),
    "verifier's name": ("supporter", lambda p: User.objects.filter(pk=p.verified_by_id).update(name="山田")),
    "timetable": ("client", lambda p: TimetableRow.objects.filter(program=p).update(activity="作業の説明")),
    "task rows (pictograms)": ("client", lambda p: TaskRow.objects.filter(programs=p).update(postures=["standing"])),
    "photo caption": ("client", lambda p: Photo.objects.filter(program=p).update(caption="休憩室")),
    "photo added": ("client", lambda p: PhotoFactory(employer=p.employer, program=p, caption="休憩室")),
    # 2 referrals print as "fewer than 3": the third one changes what is printed.
    "outcome counts": ("supporter", lambda p: ReferralFactory(program=p)),
    "erased clients' counts": (
        "supporter",
        lambda p: ErasedOutcomeCount.objects.create(program=p, key="referrals", value=4),
    ),
    "① introduction": (
        "employer",
        lambda p: EmployerIntro.objects.filter(employer=p.employer).update(message="ようこそ"),
    ),
    "① employer photo": ("employer", lambda p: PhotoFactory(employer=p.employer, caption="外観")),
    "① published programs": (
        "employer",
        lambda p: ProgramFactory(employer=p.employer, title="新しい見学", status=ProgramStatus.PUBLISHED),
    ),
}


@pytest.mark.parametrize("fact", FACTS)
def test_each_printed_fact_changes_the_key(world, program, fact):
    kind, change = FACTS[fact]
    before = sheet_key(world.counselor_b, program, kind)
    assert sheet_key(world.counselor_b, program, kind) == before  # nothing changed: a hit
    change(program)
    assert sheet_key(world.counselor_b, program, kind) != before


def test_referrals_that_change_nothing_printed_keep_the_key(world, program):
    before = sheet_key(world.counselor_b, program, "supporter")
    Referral.objects.filter(program=program).update(reflection="楽しかった")  # not printed
    assert sheet_key(world.counselor_b, program, "supporter") == before


def test_language_changes_the_key(world, program):
    with translation.override("ja"):
        japanese = sheet_key(world.counselor_b, program, "supporter")
    with translation.override("en"):
        assert sheet_key(world.counselor_b, program, "supporter") != japanese


def test_employer_sheet_is_kept_per_reader_visibility(world, program):
    ProgramFactory(
        employer=world.employer_a,
        title="機関Aだけの見学",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.OWN_AGENCY,
    )
    own = sheet_key(world.coordinator_a, program, "employer")
    other = sheet_key(world.counselor_b, program, "employer")
    assert own != other  # ① lists that program for agency A only: two keys, two PDFs
    printing.sheet_pdf(program, "employer", user=world.coordinator_a)
    printed = printing.sheet_pdf(program, "employer", user=world.counselor_b)
    assert not printed.from_cache
    assert "機関Aだけの見学" not in text_of(printed.pdf)


def test_repeat_print_reads_each_printed_fact_once(world, program, django_assert_num_queries):
    reader = world.counselor_b
    printing.sheet_pdf(get_program_for_user(reader, program.uuid, related=SHEET_RELATED), "supporter")
    # The door (program with employer, owner, region, prefecture, verifier), then the timetable,
    # task rows, photos, and the outcome counts (referrals with erased clients' numbers, one
    # query): no lazy reads in the render.
    with django_assert_num_queries(5):
        fresh = get_program_for_user(reader, program.uuid, related=SHEET_RELATED)
        assert printing.sheet_pdf(fresh, "supporter", user=reader).from_cache
