import pytest
from django.core.exceptions import ValidationError

from sheets.breakdowns.models import TaskRow
from sheets.dimensions import DIMENSIONS, KEYS, Dimension, max_ratings, rows_for_display, validate_ratings
from tests.sheets.factories import TaskRowFactory


def test_one_definition_of_ten_dimensions():
    assert KEYS == (
        "comprehension",
        "accuracy",
        "pace",
        "stamina",
        "dexterity",
        "people",
        "teamwork",
        "change",
        "environment",
        "autonomy",
    )
    assert [d.key for d in DIMENSIONS] == list(Dimension.values)
    assert all(len(d.levels) == 4 and d.client_question for d in DIMENSIONS)


def test_dimension_labels_are_japanese():
    from django.utils import translation

    with translation.override("ja"):
        assert str(Dimension.COMPREHENSION.label) == "理解力（指示の理解）"
        assert str(DIMENSIONS[3].level_text(3)) == "一日中立つ・歩く、10kgを超える物を持つ"


@pytest.mark.parametrize("bad", [[], {"unknown": 1}, {"pace": 4}, {"pace": -1}, {"pace": "2"}, {"pace": True}])
def test_bad_ratings_are_refused(bad):
    with pytest.raises(ValidationError):
        validate_ratings(bad)


def test_max_ratings_and_display_order():
    assert max_ratings([{"pace": 1, "stamina": 3}, {"pace": 2}, {}]) == {"pace": 2, "stamina": 3}
    rows = rows_for_display({"stamina": 3})
    assert [r["key"] for r in rows] == list(KEYS)
    assert rows[3]["level"] == 3 and rows[0]["level"] is None


@pytest.mark.django_db
def test_choice_lists_are_validated_and_kept_in_choice_order(world):
    row = TaskRowFactory(breakdown__employer=world.employer_a, postures=["walking", "sitting"])
    row.full_clean()
    row.save()
    row.refresh_from_db()
    assert row.postures == ["sitting", "walking"]
    row.postures = ["flying"]
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "postures" in exc.value.message_dict
    row.postures = ["sitting", "sitting"]
    with pytest.raises(ValidationError):
        row.full_clean()


@pytest.mark.django_db
def test_task_row_rules(world):
    row: TaskRow = TaskRowFactory.build(breakdown=TaskRowFactory(breakdown__employer=world.employer_a).breakdown)
    row.frequency = "daily"
    row.months = [1, 2]
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "months" in exc.value.message_dict
    row.frequency = "seasonal"
    row.full_clean()


@pytest.mark.django_db
def test_every_broken_task_row_rule_is_said_at_once(world):
    """A row with seasonal months on daily work and conditions under 「できる」 hears both, and a
    too-long condition text is still checked against 「できる」 (not only after it is shortened)."""
    from sheets.breakdowns.forms import TaskRowForm
    from sheets.breakdowns.models import TASK_TEXT_LIMITS
    from sheets.vocabulary import CutOut

    base = {"duty": "内職", "task": "袋詰め", "cut_out": CutOut.YES}
    both = TaskRowForm(data=base | {"frequency": "daily", "months": ["1"], "cut_out_conditions": "午前のみ"})
    assert not both.is_valid()
    assert set(both.errors) == {"months", "cut_out"}

    too_long = TaskRowForm(data=base | {"cut_out_conditions": "あ" * (TASK_TEXT_LIMITS["cut_out_conditions"] + 1)})
    assert not too_long.is_valid()
    assert set(too_long.errors) == {"cut_out_conditions", "cut_out"}
    assert too_long.errors["cut_out"] == ["条件を書く場合は「条件付きでできる」を選んでください。"]

    fine = TaskRowForm(data=base | {"cut_out": CutOut.CONDITIONAL, "cut_out_conditions": "午前のみ"})
    assert fine.is_valid(), fine.errors


@pytest.mark.django_db
def test_a_number_out_of_range_is_said_plainly(world):
    """Django's Japanese 「この値は 0 以上でなければなりません。」 reads like a rule book: a weight of
    -5 kg is told what to type instead."""
    from sheets.breakdowns.forms import TaskRowForm

    form = TaskRowForm(data={"duty": "内職", "task": "袋詰め", "lifting_kg": "-5"})
    assert not form.is_valid()
    assert form.errors["lifting_kg"] == ["0以上の数を入れてください。"]
