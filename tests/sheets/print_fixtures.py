"""Programs for the printing tests: a short one and one with every printed field at its cap."""

import datetime

from sheets.dimensions import KEYS
from sheets.programs.limits import EMPLOYER_TEXT_ASSUMED, INTRO_LIMITS, PRINT_LIMITS, TIMETABLE_MAX_ROWS
from sheets.programs.models import ProgramStatus, SharingScope
from sheets.vocabulary import Accommodation
from tests.factories import EmployerFactory
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory, TimetableRowFactory
from tests.sheets.print_factories import EmployerIntroFactory, PhotoFactory

FILLER = "作業のようすを、わかりやすいことばで書きます。"


def filled(length: int, tail: str) -> str:
    """`length` characters of Japanese prose ending in `tail` (found again in the PDF text:
    proof that the end of the field was printed, not cut)."""
    body = (FILLER * (length // len(FILLER) + 1))[: length - len(tail)]
    return body + tail


def tail_of(name: str) -> str:
    return f"〔{name[:4]}終〕"


def max_program(owner, *, title_tail="最大"):
    employer = EmployerFactory(
        owner=owner,
        name=filled(100, "〔社名終〕"),
        address=filled(200, "〔住所終〕"),
        description=filled(EMPLOYER_TEXT_ASSUMED["description"], "〔事業終〕"),
        access_notes=filled(EMPLOYER_TEXT_ASSUMED["access_notes"], "〔交通終〕"),
        staff_count=120,
    )
    EmployerIntroFactory(
        employer=employer,
        atmosphere=filled(INTRO_LIMITS["atmosphere"], "〔雰囲気終〕"),
        house_rules=filled(INTRO_LIMITS["house_rules"], "〔決まり終〕"),
        message=filled(INTRO_LIMITS["message"], "〔伝言終〕"),
        facilities=["rest_area", "toilet", "changing_room", "lockers", "canteen", "parking"],
    )
    breakdown = TaskBreakdownFactory(employer=employer)
    rows = [
        TaskRowFactory(breakdown=breakdown, postures=["standing"], place="outdoor", lifting_kg=15),
        TaskRowFactory(breakdown=breakdown, environment_factors=["noise", "dust"]),
    ]
    texts = {
        name: filled(limit, tail_of(name))
        for name, limit in PRINT_LIMITS.items()
        if name not in ("title", "timetable_activity")
    }
    program = ProgramFactory(
        employer=employer,
        title=filled(PRINT_LIMITS["title"], title_tail),
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.PREFECTURE,
        days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        start_time=datetime.time(9),
        end_time=datetime.time(16, 30),
        capacity=999,
        is_paid=True,
        has_contract=True,
        has_insurance=True,
        demands=dict.fromkeys(KEYS, 3),
        confirmable=list(KEYS),
        task_change="often",
        accommodations=list(Accommodation.values),
        **texts,
    )
    program.source_rows.set(rows)
    for i in range(TIMETABLE_MAX_ROWS):
        TimetableRowFactory(
            program=program, time="10:30〜11:45", activity=filled(PRINT_LIMITS["timetable_activity"], f"〔{i}〕")
        )
    for i in range(12):  # more published programs than ① lists
        ProgramFactory(employer=employer, title=filled(50, f"〔他{i}〕"), status=ProgramStatus.PUBLISHED)
    for owner_program in (None, None, program, program):  # two photos on ①, two on ② and ③
        PhotoFactory(employer=employer, program=owner_program, caption=filled(60, "〔写真〕"))
    program.full_clean()  # the fixture itself respects every cap
    return program, texts


def demo_program(owner, by, employer_name="玖珠ねぎ生産組合", title="ねぎの出荷調整体験"):
    """One of the report's two examples as `seed_demo` makes it (its visit, task rows, the
    hand-written ② and ③), for the given agency: the demo's real sheet, without the whole demo."""
    import io

    from sheets.demo.data import TASKS
    from sheets.demo.seed import ensure_breakdown, ensure_rows, make_program

    employer = EmployerFactory(owner=owner, name=employer_name)
    rows = ensure_rows(ensure_breakdown(employer, by), TASKS[employer_name], by)
    spec_row = next(r for r in rows if title.startswith(r[0].task.split("（")[0]))
    program = make_program(employer, [spec_row], "experience", by, 1, io.StringIO())
    assert program is not None and program.title == title
    return program
