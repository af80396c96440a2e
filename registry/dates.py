"""Calendar arithmetic in Japan time, shared by every app (re-verification, follow-ups, exports)."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (negative: earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    """The calendar day (Asia/Tokyo) of a stored moment."""
    return timezone.localtime(value).date() if value else None


def not_in_future(value: datetime.date) -> None:
    """A field validator for what is recorded after it happened (a visit, a hearing): a date after
    today is a slip of the calendar (2099 for 2025), said next to the field."""
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
