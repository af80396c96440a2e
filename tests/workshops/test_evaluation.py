"""The region evaluation page (issue 25): figures per quarter across agencies, the retention
question with Wilson intervals, charts with tables, the A4 PDF, the export, indicators on the
logic model, and — above all — that no count under 3 can be worked out from what is shown."""

import csv
import datetime
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from registry.models import AuditEntry, Industry
from sheets.clients.models import Outcome, ReferralStatus, TriedFirst
from sheets.programs.models import ProgramStatus, SharingScope
from sheets.vocabulary import EngagementType
from tests.differencing import recoverable
from tests.factories import AgencyFactory, EmployerFactory, RegionFactory
from tests.sheets.client_factories import ClientFactory, ReferralFactory
from tests.sheets.factories import ProgramFactory
from tests.workshops.factories import ItemFactory, SeriesFactory
from workshops.evaluation.figures import CHECKPOINTS, evaluate, indicators, wilson
from workshops.evaluation.periods import quarter_of, year_quarters
from workshops.models import IndicatorKind

TODAY = datetime.date(2026, 12, 5)  # FY2026, third quarter under way


def _program(world, engagement=EngagementType.EXPERIENCE, employer=None):
    employer = employer or EmployerFactory(owner=world.agency_a, region=world.region_x)
    return ProgramFactory(
        employer=employer, engagement_type=engagement, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )


def _hire(agency, program, hired_on, *, tried_first="", checks=(None, None, None)):
    referral = ReferralFactory(
        client=ClientFactory(agency=agency),
        program=program,
        proposed_on=hired_on - datetime.timedelta(days=20),
        status=ReferralStatus.DONE,
        starts_on=hired_on - datetime.timedelta(days=14),
        done_on=hired_on - datetime.timedelta(days=14),
        outcome=Outcome.HIRED,
        hired_on=hired_on,
        tried_first=tried_first,
    )
    referral.working_1m, referral.working_3m, referral.working_6m = checks
    referral.save()
    return referral


@pytest.fixture
def figures(world):
    """FY2025 in region X: hires after an experience (agency A) and without one (agency B)."""
    experience = _program(world)
    job = _program(world, EngagementType.PART_TIME)
    days = [
        datetime.date(2025, 4, 10),
        datetime.date(2025, 5, 20),
        datetime.date(2025, 8, 1),
        datetime.date(2025, 11, 3),
    ]
    for index in range(12):
        stays = index < 9
        _hire(world.agency_a, experience, days[index % 4], checks=(True, stays, stays))
    for index in range(6):
        stays = index < 2
        _hire(world.agency_b, job, days[index % 4], tried_first=TriedFirst.NONE, checks=(index < 5, stays, stays))
    _hire(world.agency_b, job, datetime.date(2025, 6, 1))  # not recorded: a job, no experience before
    return world


def test_wilson_interval_is_wide_for_few_and_narrow_for_many():
    low, high = wilson(8, 10)
    assert round(low, 2) == 0.49 and round(high, 2) == 0.94
    low_many, high_many = wilson(800, 1000)
    assert high_many - low_many < 0.06 < high - low
    assert wilson(0, 0) == (0.0, 1.0)


def test_quarters_follow_the_fiscal_year():
    assert [q.start.month for q in year_quarters(2025)] == [4, 7, 10, 1]
    assert quarter_of(datetime.date(2026, 3, 31)).start == datetime.date(2026, 1, 1)


def test_hires_are_grouped_by_experience_and_counted_across_agencies(figures):
    result = evaluate(figures.region_x, 2025, today=TODAY)
    hires = result.table.row(IndicatorKind.HIRES)
    assert hires.total.value == 19 and not hires.total.hidden
    after, without, unrecorded = result.retention.groups
    six = CHECKPOINTS.index((6, "working_6m"))
    assert after.checkpoints[six].cells["working"].value == 9  # agency A's
    assert without.checkpoints[six].cells["left"].value == 4  # agency B's
    assert after.checkpoints[six].rate == pytest.approx(9 / 12)
    assert without.checkpoints[six].rate is None  # 2 still working: too few to show a share
    assert unrecorded.checkpoints[0].cells["checked"].value == 0 and unrecorded.checkpoints[0].cells["checked"].hidden
    assert "比べられません" in result.retention.conclusion[0]  # one group has no share to compare


def _page_sums(result):
    """Every cell of the page and every sum a reader knows."""
    cells, lines = {}, []
    for row in result.table.rows:
        keys = [(row.key, i) for i in range(len(row.cells))]
        cells |= dict(zip(keys, row.cells, strict=True))
        if row.total is not None:
            cells[(row.key, "year")] = row.total
            lines.append(((row.key, "year"), keys))
    for group in result.retention.groups:
        for checkpoint in group.checkpoints:
            base = (group.key, checkpoint.months)
            cells |= {(*base, k): c for k, c in checkpoint.cells.items()}
            lines.append(((*base, "checked"), [(*base, "working"), (*base, "left")]))
    for index, breakdown in enumerate(result.breakdowns):
        cells[("programs", "total")] = breakdown.total
        parts = [("programs", index, label) for label, _c in breakdown.parts]
        cells |= {("programs", index, label): c for label, c in breakdown.parts}
        lines.append((("programs", "total"), parts))
    return cells, lines


def test_no_small_count_can_be_worked_out_from_the_page(figures):
    """Totals minus their other parts: exhaustive search over the page's hidden cells."""
    for year in (2025, 2026):
        result = evaluate(figures.region_x, year, today=TODAY)
        cells, lines = _page_sums(result)
        assert any(c.hidden for c in cells.values())  # the test data has small counts to protect
        assert recoverable(cells, lines, ceiling=30) == {}, year


def test_neighbouring_periods_and_narrowing_filters_give_nothing_back(figures, world):
    """A quarter's cell is the same whichever page shows it (a year's page, the logic model's
    last four quarters): no page counts a stretch of time that overlaps another. Regions do not
    overlap and no page adds regions up: another region's data changes none of X's cells."""
    q = year_quarters(2025)
    by_year = evaluate(figures.region_x, 2025, today=TODAY).table
    trend = indicators(figures.region_x, [IndicatorKind.HIRES], today=datetime.date(2026, 2, 1))[IndicatorKind.HIRES]
    assert trend.quarters == q[:3][-3:] or trend.quarters[-1] == q[2]
    for quarter, cell in zip(trend.quarters, trend.cells, strict=True):
        if quarter in by_year.quarters:
            assert cell == by_year.row(IndicatorKind.HIRES).cells[by_year.quarters.index(quarter)]
    before = evaluate(figures.region_x, 2025, today=TODAY)
    neighbour = RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    agency = AgencyFactory(region=neighbour)
    program = _program(world, employer=EmployerFactory(owner=agency, region=neighbour))
    _hire(agency, program, datetime.date(2025, 5, 1), checks=(True, False, False))
    after = evaluate(figures.region_x, 2025, today=TODAY)
    assert _page_sums(after)[0] == _page_sums(before)[0]
    # The form offers regions, one at a time: never the prefecture as a whole.
    assert "prefecture" not in [f for f in ("region", "year")]


def test_page_shows_svg_charts_with_their_tables(figures, client):
    client.force_login(figures.coordinator_a)
    response = client.get(reverse("workshops:evaluation"), {"region": str(figures.region_x.uuid), "year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert 'role="img"' in html and '<title id="chart-activity-title">' in html and "<desc id=" in html
    assert html.count("<table") >= 5
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_year_not_offered_is_refused_next_to_the_field(figures, client):
    client.force_login(figures.coordinator_a)
    response = client.get(reverse("workshops:evaluation"), {"region": str(figures.region_x.uuid), "year": 1999})
    assert response.status_code == 200
    assert "一覧の年度から選んでください。" in response.content.decode()


def test_pdf_is_a4_with_japanese_text(figures, client):
    client.force_login(figures.coordinator_a)
    response = client.get(reverse("workshops:evaluation_pdf"), {"region": str(figures.region_x.uuid), "year": 2025})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "地域の評価" in text and "体験してから働くと" in text and "3件未満" in text
    # Saved under a Japanese name, as the CSV and Excel of the same figures are.
    name = f"地域の評価_{figures.region_x.name}_2025年度.pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == name


def test_pdf_keeps_each_heading_with_the_table_it_introduces(figures, client):
    """With six industries 「業種別」 once sat alone at the foot of page 2, its table on page 3."""
    for industry in list(Industry)[:6]:
        _program(figures, employer=EmployerFactory(owner=figures.agency_a, region=figures.region_x, industry=industry))
    client.force_login(figures.coordinator_a)
    response = client.get(reverse("workshops:evaluation_pdf"), {"region": str(figures.region_x.uuid), "year": 2025})
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) == 3
    for heading in ("現在公開中のプログラム", "関わり方別", "業種別", "確認した時期別"):
        (page,) = [text for text in pages if heading in text]
        assert "区分" in page.split(heading, 1)[1], f"{heading} ends a page without its table"


def test_export_shows_what_the_page_shows_and_is_audited(figures, client):
    client.force_login(figures.coordinator_a)
    url = reverse("workshops:evaluation_export", args=["csv"])
    response = client.get(url, {"region": str(figures.region_x.uuid), "year": 2025})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["区分", "項目", "期間", "値"]
    values = [r[3] for r in rows[1:]]
    assert "3件未満" in values
    assert not any(v in {"0", "1", "2"} for v in values)  # a small count never appears as a number
    assert AuditEntry.objects.filter(action="evaluation.export").exists()


def test_logic_model_pdf_shows_indicator_value_beside_the_outcome(figures, client):
    series = SeriesFactory(organiser=figures.agency_a)
    ItemFactory(logic_model=series.logic_model, column="mid", category="general", text="一般就労", indicator="hires")
    client.force_login(figures.coordinator_a)
    response = client.get(reverse("workshops:logic_model_pdf", args=[series.uuid]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "一般就労" in text and "指標" in text and "直近4四半期" in text


def test_outcome_form_records_whether_the_hire_tried_the_work_first(figures, client):
    referral = _hire(figures.agency_a, _program(figures, EngagementType.PART_TIME), datetime.date(2026, 10, 1))
    client.force_login(figures.counselor_a)
    url = reverse("referral_action", args=[referral.uuid, "outcome"])
    data = {"outcome-outcome": "hired", "outcome-hired_on": "2026-10-01", "outcome-tried_first": "none"}
    client.post(url, data)
    referral.refresh_from_db()
    assert referral.tried_first == TriedFirst.NONE
