"""The region's figures (現状把握と活動評価): what happened per quarter across every agency of a
region, the report's question (do hires that followed a work experience last longer?), and
the indicators that logic-model outcomes are measured by.

Every number leaves this module as a `SafeCount` (registry/smallcounts.py): counts under 3
read 「3件未満」, and a part whose total is shown is withheld when the total minus the other
parts would give a small count back. Which region a figure belongs to:

- referrals, experiences, hires and follow-ups: of clients of the region's agencies;
- employers and programs: published programs of the region's employers that every agency of
  the region may see (`Program.objects.published_for(region)`, the rule of the search, the
  API and HSDS), still published today and published by the end of the quarter.

Referrals of clients erased on request are kept only as numbers per program, without dates or
region (sheets.clients ErasedOutcomeCount): they are not in these figures."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.dates import add_months
from registry.extensions import region_figures
from registry.models import Employer, Industry, Region
from registry.smallcounts import GIVES_SMALL_AWAY, SMALL, WITHHELD, SafeCount, protect, why_no_share
from sheets.clients.models import Outcome, Referral, ReferralStatus, TriedFirst
from sheets.programs.models import Program
from sheets.vocabulary import EngagementType
from workshops.evaluation.periods import Quarter, fiscal_year_of, last_completed_quarters, year_quarters
from workshops.models import IndicatorKind

STOCKS = (IndicatorKind.EMPLOYERS, IndicatorKind.PROGRAMS)
CHECKPOINTS = ((1, "working_1m"), (3, "working_3m"), (6, "working_6m"))
Z95 = 1.96


# --- What is counted ----------------------------------------------------------------------------


def region_programs(region: Region) -> QuerySet:
    """Published programs of the region's employers that every agency of the region may see."""
    return Program.objects.published_for(region).filter(employer__region=region)


def region_referrals(region: Region) -> QuerySet:
    return Referral.objects.filter(client__agency__region=region)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _by_quarter(queryset: QuerySet, date_field: str, quarters: list[Quarter], condition: Q) -> list[int]:
    """One query: how many rows of `queryset` fall in each quarter by `date_field`."""
    counts = {
        q.key: Count("pk", filter=condition & Q(**{f"{date_field}__gte": q.start, f"{date_field}__lt": q.end}))
        for q in quarters
    }
    row = queryset.order_by().aggregate(**counts)
    return [row[q.key] for q in quarters]


FLOWS = {
    IndicatorKind.PROPOSED: ("proposed_on", Q()),
    IndicatorKind.COMPLETED: ("done_on", Q(status=ReferralStatus.DONE)),
    IndicatorKind.EXPERIENCES: (
        "done_on",
        Q(status=ReferralStatus.DONE, program__engagement_type=EngagementType.EXPERIENCE),
    ),
    IndicatorKind.HIRES: ("hired_on", Q(outcome=Outcome.HIRED)),
}
# Still working at a check: counted in the quarter the 1/3/6-month check fell due (what the
# follow-ups found that quarter), not in the quarter of the hire — so that these rows and the
# retention table below (hires of the year) are not two splits of the same people.
CHECK_ROWS = {IndicatorKind.WORKING_1M: 1, IndicatorKind.WORKING_3M: 3, IndicatorKind.WORKING_6M: 6}

DESCRIPTIONS = {
    IndicatorKind.EMPLOYERS: gettext_lazy("Employers of the region with a program published by the end of the quarter"),
    IndicatorKind.PROGRAMS: gettext_lazy("Programs of the region's employers published by the end of the quarter"),
    IndicatorKind.PROPOSED: gettext_lazy("Referrals proposed in the quarter"),
    IndicatorKind.COMPLETED: gettext_lazy("Referrals done in the quarter"),
    IndicatorKind.EXPERIENCES: gettext_lazy("Referrals to work-experience programs done in the quarter"),
    IndicatorKind.HIRES: gettext_lazy("Hires in the quarter"),
    IndicatorKind.WORKING_1M: gettext_lazy("Hires whose 1-month check fell due in the quarter and were still working"),
    IndicatorKind.WORKING_3M: gettext_lazy("Hires whose 3-month check fell due in the quarter and were still working"),
    IndicatorKind.WORKING_6M: gettext_lazy("Hires whose 6-month check fell due in the quarter and were still working"),
}


def _stock(region: Region, quarters: list[Quarter], kind: str) -> list[int]:
    values = []
    for quarter in quarters:
        programs = region_programs(region).filter(Q(published_at__lt=_moment(quarter.end)) | Q(published_at=None))
        if kind == IndicatorKind.EMPLOYERS:
            values.append(programs.order_by().values("employer_id").distinct().count())
        else:
            values.append(programs.count())
    return values


# --- The year's table ------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    description: str
    cells: list[SafeCount]
    total: SafeCount | None  # the year's total, for counts that add up over quarters

    @property
    def is_stock(self) -> bool:
        return self.total is None


@dataclass
class YearTable:
    region: Region
    year: int
    quarters: list[Quarter]
    rows: list[Row]
    running: Quarter | None  # the quarter still under way, if it is in this year

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


def _checks(region: Region, quarters: list[Quarter], months: int) -> list[int]:
    name = f"working_{months}m"
    since = add_months(quarters[0].start, -months)
    hires = region_referrals(region).filter(
        outcome=Outcome.HIRED, hired_on__gte=since, hired_on__lt=quarters[-1].end, **{name: True}
    )
    dues = [add_months(day, months) for day in hires.values_list("hired_on", flat=True)]
    return [sum(1 for due in dues if q.start <= due < q.end) for q in quarters]


def _raw_rows(region: Region, quarters: list[Quarter]) -> list[tuple[str, str, str, list[int], bool]]:
    """(key, label, description, a number per quarter, whether they add up over the year)."""
    rows = []
    for kind in IndicatorKind:
        if kind in STOCKS:
            values = _stock(region, quarters, kind)
        elif kind in CHECK_ROWS:
            values = _checks(region, quarters, CHECK_ROWS[kind])
        else:
            date_field, condition = FLOWS[kind]
            values = _by_quarter(region_referrals(region), date_field, quarters, condition)
        rows.append((kind.value, str(kind.label), str(DESCRIPTIONS[kind]), values, kind not in STOCKS))
    for figure in region_figures():  # e.g. hand-offs between agencies, once an app records them
        values = [figure.count(region, q.start, q.end) for q in quarters]
        rows.append((figure.key, str(figure.label), str(figure.label), values, True))
    return rows


# --- Programs published now ----------------------------------------------------------------------------


@dataclass
class Breakdown:
    title: str
    total: SafeCount
    parts: list[tuple[str, SafeCount]]


VERIFIED_BANDS = (
    ("recent", gettext_lazy("Verified within 6 months")),
    ("year", gettext_lazy("Verified 6 to 12 months ago")),
    ("old", gettext_lazy("Verified over a year ago or never")),
)


def program_breakdowns(region: Region, *, today: datetime.date | None = None) -> list[Breakdown]:
    """The published programs of the region now, by engagement type, by industry (of the
    region's employers, so that a missing line does not say "none") and by how recently they
    were verified: three splits of one total, protected together."""
    today = today or timezone.localdate()
    programs = list(region_programs(region).values_list("engagement_type", "employer__industry", "last_verified_on"))
    six, twelve = today - datetime.timedelta(days=183), today - datetime.timedelta(days=365)
    industries = sorted(set(Employer.objects.filter(region=region).values_list("industry", flat=True)))
    splits = [
        (
            _("By engagement type"),
            [(t.value, str(t.label), sum(1 for p in programs if p[0] == t.value)) for t in EngagementType],
        ),
        (
            _("By industry"),
            [(i, str(Industry(i).label), sum(1 for p in programs if p[1] == i)) for i in industries],
        ),
        (
            _("By how recently verified"),
            [
                ("recent", str(VERIFIED_BANDS[0][1]), sum(1 for p in programs if p[2] and p[2] >= six)),
                ("year", str(VERIFIED_BANDS[1][1]), sum(1 for p in programs if p[2] and twelve <= p[2] < six)),
                ("old", str(VERIFIED_BANDS[2][1]), sum(1 for p in programs if not p[2] or p[2] < twelve)),
            ],
        ),
    ]
    values: dict = {("total",): len(programs)}
    lines = []
    for index, (_title, parts) in enumerate(splits):
        values |= {(index, key): value for key, _label, value in parts}
        lines.append((("total",), [(index, key) for key, _label, _value in parts]))
    cells = protect(values, lines)
    return [
        Breakdown(str(title), cells[("total",)], [(label, cells[(index, key)]) for key, label, _v in parts])
        for index, (title, parts) in enumerate(splits)
    ]


# --- The report's question: retention after a work experience --------------------------------------------


GROUPS = (
    ("after", gettext_lazy("Hired after a work experience")),
    ("without", gettext_lazy("Hired without one")),
    ("unrecorded", gettext_lazy("Not recorded")),
)
SHORT_GROUPS = {"after": gettext_lazy("With experience"), "without": gettext_lazy("Without")}


@dataclass
class Checkpoint:
    months: int
    cells: dict[str, SafeCount]  # checked / working / left
    rate: float | None = None  # of those checked, the share still working
    low: float | None = None  # Wilson 95 % interval
    high: float | None = None

    @property
    def why_no_rate(self) -> StrPromise:
        """The words in place of a rate that is not shown."""
        return why_no_share(self.cells["checked"])


@dataclass
class RetentionGroup:
    key: str
    label: str
    checkpoints: list[Checkpoint] = field(default_factory=list)


@dataclass
class Retention:
    groups: list[RetentionGroup]
    conclusion: list[str]


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: honest for small numbers (never below 0 or
    above 1, and wide when few were counted)."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def hire_group(referral: dict) -> str:
    """after / without / unrecorded: what the counselor recorded, else what the registry knows
    (the hire came from a work-experience program, or followed one the client finished)."""
    if referral["tried_first"] == TriedFirst.REGISTRY:
        return "after"
    if referral["tried_first"] == TriedFirst.NONE:
        return "without"
    if referral["program__engagement_type"] == EngagementType.EXPERIENCE or referral["tried_before"]:
        return "after"
    return "unrecorded"


def _year_hires(region: Region, quarters: list[Quarter]) -> list[dict]:
    experience_before = Referral.objects.filter(
        client_id=OuterRef("client_id"),
        status=ReferralStatus.DONE,
        program__engagement_type=EngagementType.EXPERIENCE,
        done_on__lte=OuterRef("hired_on"),
    ).exclude(pk=OuterRef("pk"))
    hires = list(
        region_referrals(region)
        .filter(outcome=Outcome.HIRED, hired_on__gte=quarters[0].start, hired_on__lt=quarters[-1].end)
        .annotate(tried_before=Exists(experience_before))
        .values("tried_first", "program__engagement_type", "tried_before", "working_1m", "working_3m", "working_6m")
    )
    for hire in hires:
        hire["group"] = hire_group(hire)
    return hires


# --- Everything on the page, protected together --------------------------------------------------------


@dataclass
class Evaluation:
    table: YearTable
    retention: Retention
    breakdowns: list[Breakdown]


def evaluate(region: Region, year: int, *, today: datetime.date | None = None) -> Evaluation:
    """The page's figures for fiscal year `year`, all counted first and then protected in one
    go (registry.smallcounts.protect) with every sum a reader can form: each row's quarters and
    the year's total, the year's hires split by experience, each group's hires split by what
    the 1/3/6-month checks found."""
    today = today or timezone.localdate()
    # Quarters that have begun: one still to come would read 「3件未満」 (0) and cost a figure.
    quarters = [q for q in year_quarters(year) if q.start <= today] or year_quarters(year)[:1]
    raw = _raw_rows(region, quarters)
    values: dict = {}
    lines: list = []
    for key, _label, _description, numbers, adds_up in raw:
        values |= {(key, i): n for i, n in enumerate(numbers)}
        if adds_up:
            values[(key, "year")] = sum(numbers)
            lines.append(((key, "year"), [(key, i) for i in range(len(numbers))]))
    hires = _year_hires(region, quarters)
    group_keys = [g for g, _label in GROUPS]
    # Per group and check: those checked = still working + left. Neither the group's number of
    # hires nor those not checked yet are shown: with them, "not checked yet" (usually 0–2)
    # would follow from the others.
    for months, name in CHECKPOINTS:
        for g in group_keys:
            mine = [h for h in hires if h["group"] == g]
            values[("working", months, g)] = sum(1 for h in mine if h[name] is True)
            values[("left", months, g)] = sum(1 for h in mine if h[name] is False)
            values[("checked", months, g)] = values[("working", months, g)] + values[("left", months, g)]
            lines.append((("checked", months, g), [("working", months, g), ("left", months, g)]))
    cells = protect(values, lines)
    breakdowns = program_breakdowns(region, today=today)
    running = next((q for q in quarters if q.is_running(today)), None)
    rows = []
    for key, label, description, numbers, adds_up in raw:
        row_cells = [cells[(key, i)] for i in range(len(numbers))]
        if key == IndicatorKind.PROGRAMS and running is not None:  # the same number as the breakdowns' total
            row_cells[quarters.index(running)] = breakdowns[0].total
        rows.append(Row(key, label, description, row_cells, cells[(key, "year")] if adds_up else None))
    table = YearTable(region, year, quarters, rows, running)
    groups = []
    for g, label in GROUPS:
        group = RetentionGroup(g, str(label))
        for months, _name in CHECKPOINTS:
            checkpoint = Checkpoint(months, {k: cells[(k, months, g)] for k in ("checked", "working", "left")})
            working, left = checkpoint.cells["working"], checkpoint.cells["left"]
            if not working.hidden and not left.hidden and working.value + left.value:
                checked = working.value + left.value
                checkpoint.rate = working.value / checked
                checkpoint.low, checkpoint.high = wilson(working.value, checked)
            group.checkpoints.append(checkpoint)
        groups.append(group)
    return Evaluation(table, Retention(groups, _conclusion(groups)), breakdowns)


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _conclusion(groups: list[RetentionGroup]) -> list[str]:
    """What can and cannot be concluded, in plain words."""
    after, without, unrecorded = groups
    sentences = []
    for index in range(len(CHECKPOINTS) - 1, -1, -1):
        a, w = after.checkpoints[index], without.checkpoints[index]
        if a.rate is None or w.rate is None:
            continue
        values = {
            "months": a.months,
            "a": _percent(a.rate),
            "a_low": _percent(a.low),
            "a_high": _percent(a.high),
            "w": _percent(w.rate),
            "w_low": _percent(w.low),
            "w_high": _percent(w.high),
        }
        sentences.append(
            _(
                "After %(months)s months, %(a)s of those hired after a work experience were still working "
                "(95%% interval %(a_low)s–%(a_high)s), and %(w)s of those hired without one (%(w_low)s–%(w_high)s)."
            )
            % values
        )
        if a.low > w.high:
            sentences.append(
                _(
                    "The intervals do not overlap: in this region, those who tried the work first stayed more often. "
                    "This does not prove that the experience caused it: people who chose to try the work first may "
                    "differ from the others in other ways."
                )
            )
        elif w.low > a.high:
            sentences.append(
                _(
                    "The intervals do not overlap: in this region, those who tried the work first stayed less often. "
                    "This does not prove that the experience caused it: the two groups may differ in other ways."
                )
            )
        else:
            sentences.append(
                _(
                    "The intervals overlap: these numbers cannot tell whether trying the work first makes a "
                    "difference. More hires, recorded over more quarters, will narrow the intervals."
                )
            )
        break
    else:
        sentences.append(
            _(
                "There are too few hires with a follow-up in one of the two groups to compare them: "
                "nothing can be concluded yet, in either direction."
            )
        )
    if any(c.cells["checked"].hidden or c.cells["checked"].value for c in unrecorded.checkpoints):
        sentences.append(
            _(
                "Hires without a record of whether the person tried the work first are not compared; "
                "recording it on the referral's outcome makes the answer more reliable."
            )
        )
    return [str(s) for s in sentences]


# --- Indicators of logic-model outcomes -------------------------------------------------------------------


@dataclass
class Indicator:
    kind: str
    label: str
    quarters: list[Quarter]
    cells: list[SafeCount]

    @property
    def current(self) -> SafeCount:
        return self.cells[-1]

    @property
    def current_quarter(self) -> Quarter:
        return self.quarters[-1]

    @property
    def trend(self) -> str:
        """up / down / flat against the quarter before, or "" when either is not shown."""
        if len(self.cells) < 2 or self.cells[-1].hidden or self.cells[-2].hidden:
            return ""
        now, before = self.cells[-1].value, self.cells[-2].value
        return "up" if now > before else "down" if now < before else "flat"

    @property
    def withheld_note(self) -> str:
        """What 「秘匿」 in the trend means, said once under it; "" when no count is withheld
        (「3件未満」 explains itself)."""
        if not any(c.hidden and c.hidden != SMALL for c in self.cells):
            return ""
        return _("%(withheld)s: %(why)s") % {"withheld": WITHHELD, "why": GIVES_SMALL_AWAY}


TREND_QUARTERS = 4


def indicators(region: Region, kinds, *, today: datetime.date | None = None) -> dict[str, Indicator]:
    """The last four finished quarters of each kind: the same cells as the evaluation page
    (each year's table is counted once and protected as a whole)."""
    kinds = [k for k in dict.fromkeys(kinds) if k]
    if not kinds:
        return {}
    quarters = last_completed_quarters(TREND_QUARTERS, today)
    years = {fiscal_year_of(q.start) for q in quarters}
    tables = {year: evaluate(region, year, today=today).table for year in years}
    result = {}
    for kind in kinds:
        cells = []
        for quarter in quarters:
            table = tables[fiscal_year_of(quarter.start)]
            cells.append(table.row(kind).cells[table.quarters.index(quarter)])
        result[kind] = Indicator(kind, str(IndicatorKind(kind).label), quarters, cells)
    return result
