"""Page budgets with every printed field at its cap: ① 1 page, ② and ③ 2 pages each; and
the end of every field is printed (long text continues, it is never cut)."""

import io

import pytest
from pypdf import PdfReader

from sheets.printing import sheets as printing
from tests.sheets.print_fixtures import max_program, tail_of
from tests.sheets.test_print import compact, text_of

CLIENT_FIELDS = [
    "what_you_do",
    "breaks",
    "period",
    "meeting_point",
    "clothing",
    "belongings",
    "lunch",
    "pay",
    "travel_costs",
    "application_window",
    "suits",
    "can_find_out",
    "how_to_apply",
]
SUPPORTER_FIELDS = [
    *CLIENT_FIELDS,
    *[
        "employer_needs",
        "physical_notes",
        "instructions",
        "onsite_supporter",
        "accommodations_notes",
        "cautions",
        "next_step",
    ],
]


@pytest.fixture
def maximum(world):
    return max_program(world.agency_a)


@pytest.mark.parametrize(
    ("kind", "fields"), [("employer", []), ("client", CLIENT_FIELDS), ("supporter", SUPPORTER_FIELDS)]
)
def test_maximum_content_fits_the_budget_and_is_printed_whole(maximum, kind, fields):
    program, _texts = maximum
    printed = printing.sheet_pdf(program, kind)
    pages = len(PdfReader(io.BytesIO(printed.pdf)).pages)
    assert pages <= printing.SHEET_KINDS[kind].page_budget, (kind, printed.density)
    text = compact(text_of(printed.pdf))
    for name in fields:
        assert tail_of(name) in text, name
    if kind == "employer":
        for tail in ("〔社名終〕", "〔事業終〕", "〔交通終〕", "〔雰囲気終〕", "〔決まり終〕", "〔伝言終〕"):
            assert tail in text, tail
        assert "ほか5件" in text  # 13 published: 8 listed, the other 5 counted
    else:
        assert "〔7〕" in text  # the last timetable row


def test_short_content_keeps_the_large_type(world):
    from tests.sheets.factories import ProgramFactory

    printed = printing.sheet_pdf(ProgramFactory(employer=world.employer_a), "client")
    assert printed.density == "normal"


def test_text_longer_than_the_print_cap_is_refused(world):
    from django.core.exceptions import ValidationError

    from sheets.programs import services
    from sheets.programs.limits import PRINT_LIMITS
    from tests.sheets.factories import ProgramFactory

    program = ProgramFactory(employer=world.employer_a)
    with pytest.raises(ValidationError) as error:
        services.program_update(
            program=program,
            by=world.coordinator_a,
            version=program.version,
            what_you_do="あ" * (PRINT_LIMITS["what_you_do"] + 1),
        )
    assert "what_you_do" in error.value.message_dict
    program.refresh_from_db()
    assert program.version == 1


def _max_breakdown(employer, tasks: int):
    from sheets.breakdowns.models import BREAKDOWN_TEXT_LIMITS, TASK_TEXT_LIMITS
    from tests.sheets.factories import TaskBreakdownFactory, TaskRowFactory
    from tests.sheets.print_fixtures import filled

    breakdown = TaskBreakdownFactory(
        employer=employer,
        visitors=filled(200, "〔訪終〕"),
        interviewee=filled(200, "〔応終〕"),
        unmet_needs=filled(BREAKDOWN_TEXT_LIMITS["unmet_needs"], "〔困終〕"),
        culture_notes=filled(BREAKDOWN_TEXT_LIMITS["culture_notes"], "〔風終〕"),
    )
    for n in range(tasks):
        row = TaskRowFactory.build(
            breakdown=breakdown, position=n, duty=filled(100, "〔業〕"), task=filled(100, "〔作〕"),
            steps=filled(TASK_TEXT_LIMITS["steps"], f"〔手{n}〕"), batch_size=filled(100, "〔量〕"),
            tools=filled(200, "〔具〕"), protective_gear=filled(200, "〔保〕"),
            cut_out_conditions=filled(TASK_TEXT_LIMITS["cut_out_conditions"], f"〔切{n}〕"),
            time_slots=filled(100, "〔時〕"), postures=["sitting", "standing", "walking"],
            environment_factors=["noise", "heat_cold", "dust"],
        )  # fmt: skip
        row.full_clean()  # every text at its cap is allowed
        row.save()
    return breakdown


def test_a_breakdown_at_its_caps_prints_each_task_whole_on_a_page(world):
    # The notes take the first page; each task at its caps fits one page (a task's box does not
    # break across pages, so a longer 手順 left a page blank before it).
    printed = printing.breakdown_pdf(_max_breakdown(world.employer_a, tasks=3))
    assert len(PdfReader(io.BytesIO(printed)).pages) <= 1 + 3
    text = compact(text_of(printed))
    for tail in ("〔困終〕", "〔風終〕", "〔手0〕", "〔手2〕", "〔切2〕"):
        assert tail in text, tail


@pytest.mark.parametrize("name", ["steps", "cut_out_conditions"])
def test_task_text_longer_than_its_cap_is_refused_next_to_the_field(world, name):
    from sheets.breakdowns.forms import TaskRowForm
    from sheets.breakdowns.models import TASK_TEXT_LIMITS

    form = TaskRowForm(data={"duty": "内職", "task": "袋詰め", name: "あ" * (TASK_TEXT_LIMITS[name] + 1)})
    assert not form.is_valid()
    assert list(form.errors) == [name]
    assert f"{TASK_TEXT_LIMITS[name]}文字まで" in str(form[name].help_text)
