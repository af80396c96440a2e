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
