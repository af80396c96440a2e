"""Fiscal years (年度, April to March) and their quarters: the fixed cells every figure of the
evaluation page is counted in. A reader chooses a year, never a range of days, so two pages
never count overlapping stretches of time that could be subtracted from each other."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_MONTH = 4  # the Japanese fiscal year starts in April
YEARS_BACK = 5  # how many past fiscal years the form offers


@dataclass(frozen=True)
class Quarter:
    start: datetime.date  # first day
    end: datetime.date  # first day after

    @property
    def key(self) -> str:
        return self.start.strftime("%Y-%m")

    @property
    def label(self) -> str:
        last = self.end - datetime.timedelta(days=1)
        values = {"year": self.start.year, "first": self.start.month, "last": last.month}
        return _("%(first)s–%(last)s %(year)s") % values

    @property
    def short_label(self) -> str:
        last = self.end - datetime.timedelta(days=1)
        return f"{self.start.year % 100:02d}/{self.start.month}–{last.month}"

    def is_running(self, today: datetime.date) -> bool:
        return self.start <= today < self.end

    def previous(self) -> "Quarter":
        return quarter_of(self.start - datetime.timedelta(days=1))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def quarter_of(day: datetime.date) -> Quarter:
    offset = (day.month - FIRST_MONTH) % 3
    start = _add_months(datetime.date(day.year, day.month, 1), -offset)
    return Quarter(start, _add_months(start, 3))


def fiscal_year_of(day: datetime.date) -> int:
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_quarters(year: int) -> list[Quarter]:
    start = datetime.date(year, FIRST_MONTH, 1)
    return [Quarter(_add_months(start, 3 * i), _add_months(start, 3 * i + 3)) for i in range(4)]


def year_label(year: int) -> str:
    return _("FY%(year)s") % {"year": year}


def year_choices(today: datetime.date | None = None) -> list[tuple[int, str]]:
    current = fiscal_year_of(today or timezone.localdate())
    return [(year, year_label(year)) for year in range(current, current - YEARS_BACK, -1)]


def last_completed_quarters(count: int, today: datetime.date | None = None) -> list[Quarter]:
    """The `count` quarters before the running one, oldest first: the trend of an indicator."""
    quarter = quarter_of(today or timezone.localdate()).previous()
    quarters = []
    for _i in range(count):
        quarters.append(quarter)
        quarter = quarter.previous()
    return quarters[::-1]
