"""Printed text fields refuse what would print as □, next to the field (registry/printable.py);
the task rows state their caps with the live counter instead of the browser's maxlength."""

import re

import pytest
from django.urls import reverse

from registry.forms import EmployerForm
from registry.printable import validate_printable
from sheets.breakdowns.forms import BreakdownForm, TaskRowForm
from sheets.breakdowns.models import TaskRow
from sheets.clients.forms import IntroductionForm
from sheets.interop.imports.reader import parse_file
from sheets.printing.forms import EmployerIntroForm, PhotoForm
from sheets.programs.forms import ProgramForm, TimetableRowForm
from sheets.programs.models import Program
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory
from tests.sheets.import_files import employer_cells, program_cells, xlsx_bytes

REFUSED_TITLE = "印刷できない文字が含まれています：🎉（印刷すると□になります）。別のことばに置き換えてください。"


def _error_of(html: str, name: str) -> str:
    """The text of the error crispy-forms puts under the field `name`."""
    found = re.search(rf'id="error_1_id_{name}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    return found[1] if found else ""


def test_an_emoji_in_a_program_field_is_said_next_to_it_and_nothing_is_saved(world, login):
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験", what_you_do="部品を袋に入れます")
    response = login(world.coordinator_a).post(
        reverse("program_edit", args=[program.uuid]),
        {
            "version": program.version,
            "title": "袋詰め体験🎉",
            "what_you_do": "家族👨‍👩‍👧で参加できます👍👍",
            "engagement_type": program.engagement_type,
            "sharing_scope": program.sharing_scope,
            "tt-TOTAL_FORMS": "1",
            "tt-INITIAL_FORMS": "0",
            "tt-0-time": "9:00",
            "tt-0-activity": "あいさつ⛄",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _error_of(html, "title") == REFUSED_TITLE
    assert "👨‍👩‍👧、👍（印刷すると□になります）" in _error_of(html, "what_you_do")
    # The timetable line says it under its own field, as crispy does for the others.
    assert re.search(r'id="id_tt-0-activity"[^>]*>\s*<div id="id_tt-0-activity_error"', html)
    assert _error_of(html, "tt-0-activity").startswith("印刷できない文字が含まれています：⛄（")
    program.refresh_from_db()
    assert program.title == "袋詰め体験" and program.what_you_do == "部品を袋に入れます"


def test_japanese_with_circled_numbers_and_notes_saves(world, login):
    program = ProgramFactory(employer=world.employer_a)
    text = "①袋を開けます ②部品を入れます ③封をします。※9:00〜12:00、～雨天中止～"
    response = login(world.coordinator_a).post(
        reverse("program_edit", args=[program.uuid]),
        {
            "version": program.version,
            "title": "袋詰め体験（伊丹）",
            "what_you_do": text,
            "engagement_type": program.engagement_type,
            "sharing_scope": program.sharing_scope,
            "tt-TOTAL_FORMS": "0",
            "tt-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Program.objects.get(pk=program.pk).what_you_do == text


def test_a_task_row_with_an_emoji_or_too_long_is_said_next_to_the_field(world, login):
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    add = reverse("row_add", args=[world.employer_a.uuid, breakdown.uuid])
    response = login(world.coordinator_a).post(
        add, {"new-duty": "内職🙂", "new-task": "あ" * 101, "new-time_slots": "9:00〜12:00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _error_of(html, "new-duty").startswith("印刷できない文字が含まれています：🙂")
    assert _error_of(html, "new-task") == "100文字までにしてください（いま101文字）。"
    assert not TaskRow.objects.exists()


def test_task_rows_state_their_caps_without_the_browsers_maxlength(world, login):
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    row = TaskRowFactory(breakdown=breakdown)
    for url in (
        reverse("breakdown_detail", args=[world.employer_a.uuid, breakdown.uuid]),
        reverse("row_edit", args=[world.employer_a.uuid, breakdown.uuid, row.uuid]),
    ):
        html = login(world.coordinator_a).get(url).content.decode()
        assert "maxlength" not in html
        assert re.search(r'name="[\w-]*task"[^>]*data-max-chars="100"', html)
        assert "100文字まで" in html


@pytest.mark.parametrize(
    ("form", "printed", "not_printed"),
    [
        (lambda: ProgramForm(instance=Program()), ["title", "what_you_do", "cautions", "pay"], []),
        (lambda: TimetableRowForm(), ["activity"], []),
        (lambda: EmployerForm(agency=None), ["name", "address", "access_notes", "description"], ["contact_name"]),
        (lambda: EmployerIntroForm(), ["atmosphere", "house_rules", "message"], []),
        (lambda: PhotoForm(), ["caption"], []),
        (lambda: BreakdownForm(), ["visitors", "interviewee", "unmet_needs", "culture_notes"], []),
        (lambda: TaskRowForm(), ["duty", "task", "steps", "tools", "time_slots"], []),
    ],
)
def test_every_printed_text_field_has_the_rule(db, form, printed, not_printed):
    fields = form().fields
    for name in printed:
        assert validate_printable in fields[name].validators, name
    for name in not_printed:
        assert validate_printable not in fields[name].validators, name


def test_the_self_introduction_form_has_the_rule(world):
    from tests.sheets.client_factories import ClientFactory

    form = IntroductionForm(client=ClientFactory(agency=world.agency_a))
    assert validate_printable in form.fields["strengths"].validators


def test_an_import_names_the_cell_with_an_unprintable_character():
    row = employer_cells(1) | program_cells(1) | {"作業内容": "袋詰め🎉", "担当者": "山田😀🎉"}
    parsed = parse_file(xlsx_bytes([row]), "emoji.xlsx")
    errors = {e["column"]: e["message"] for e in parsed.rows[0].errors}
    assert errors == {"作業内容": REFUSED_TITLE}  # the contact person is never printed
