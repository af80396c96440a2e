"""Dates recorded after the fact: a visit or a hearing dated after today is a slip of the calendar
(2099 for 2025), refused next to the field; today and earlier are kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.dates import not_in_future
from registry.models import EmployerVisit
from sheets.breakdowns.models import TaskBreakdown
from sheets.network.models import NeedsCheck


def test_today_and_earlier_pass_and_tomorrow_is_refused():
    today = timezone.localdate()
    not_in_future(today)
    not_in_future(today - datetime.timedelta(days=3650))
    with pytest.raises(ValidationError) as refused:
        not_in_future(today + datetime.timedelta(days=1))
    assert refused.value.messages == ["未来の日付は入力できません。"]


@pytest.mark.parametrize(
    ("model", "field"), [(EmployerVisit, "visited_on"), (TaskBreakdown, "visited_on"), (NeedsCheck, "checked_on")]
)
def test_what_is_recorded_after_it_happened_is_not_dated_in_the_future(model, field):
    assert not_in_future in model._meta.get_field(field).validators
