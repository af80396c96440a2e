"""Calendar arithmetic in Japan time, shared by every app (re-verification, follow-ups, exports)."""

import calendar
import datetime

from django.utils import timezone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (negative: earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    """The calendar day (Asia/Tokyo) of a stored moment."""
    return timezone.localtime(value).date() if value else None
