"""/evaluation/ (the region's figures), /evaluation.pdf (the same on A4) and
/evaluation.csv|xlsx (its table): every member of an agency, for a region of their prefecture."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from registry.access import role_required
from registry.exports import export_response, record_export
from registry.http import PRIVATE
from registry.models import Role
from workshops.evaluation import charts
from workshops.evaluation.access import get_region, regions_for
from workshops.evaluation.exports import COLUMNS, EXPORT_NAME, export_rows
from workshops.evaluation.figures import CHECKPOINTS, SHORT_GROUPS, evaluate
from workshops.evaluation.forms import EvaluationForm
from workshops.evaluation.pdf import render_evaluation_pdf
from workshops.evaluation.periods import fiscal_year_of, year_label
from workshops.models import IndicatorKind


def _context(request: HttpRequest) -> dict:
    regions = regions_for(request.user)
    form = EvaluationForm(request.GET or None, regions=regions)
    region_uuid, year = None, fiscal_year_of(timezone.localdate())
    if form.is_bound and not form.is_valid() and "region" in form.errors:
        raise Http404  # a region of another prefecture (or none at all): as if it did not exist
    if form.is_bound:
        region_uuid = form.cleaned_data.get("region") or None
        year = form.cleaned_data.get("year") or year  # a year not offered: the error shows beside the field
    region = get_region(request.user, region_uuid)
    if not form.is_bound:
        form = EvaluationForm(initial={"region": str(region.uuid), "year": year}, regions=regions)
    evaluation = evaluate(region, year)
    table = evaluation.table
    quarters = [q.short_label for q in table.quarters]
    activity = charts.bar_chart(
        "chart-activity",
        _("Referrals, work experiences and hires per quarter"),
        _("Bars per quarter of %(year)s in %(region)s; counts under 3 have no bar.")
        % {"year": year_label(year), "region": region.name},
        quarters,
        [
            (table.row(k).label, table.row(k).cells)
            for k in (IndicatorKind.PROPOSED, IndicatorKind.COMPLETED, IndicatorKind.EXPERIENCES, IndicatorKind.HIRES)
        ],
    )
    supply = charts.bar_chart(
        "chart-supply",
        _("Cooperating employers and published programs at the end of each quarter"),
        _("Bars per quarter of %(year)s in %(region)s.") % {"year": year_label(year), "region": region.name},
        quarters,
        [(table.row(k).label, table.row(k).cells) for k in (IndicatorKind.EMPLOYERS, IndicatorKind.PROGRAMS)],
    )
    rate_rows = []
    for index, (months, _name) in enumerate(CHECKPOINTS):
        for group in evaluation.retention.groups[:2]:
            checkpoint = group.checkpoints[index]
            label = ngettext("%(group)s, %(months)s month", "%(group)s, %(months)s months", months) % {
                "group": SHORT_GROUPS[group.key],
                "months": months,
            }
            if checkpoint.rate is None:
                text = str(checkpoint.why_no_rate)
                rate_rows.append((label, None, 0, 0, text))
            else:
                text = (
                    f"{round(checkpoint.rate * 100)}%（{round(checkpoint.low * 100)}–{round(checkpoint.high * 100)}%）"
                )
                rate_rows.append((label, checkpoint.rate, checkpoint.low, checkpoint.high, text))
    retention_chart = charts.rate_chart(
        "chart-retention",
        _("Still working after 1, 3 and 6 months: with and without a work experience first"),
        _("Share of the hires checked who were still working, with the 95%% interval as a line."),
        rate_rows,
    )
    return {
        "form": form,
        "region": region,
        "year": year,
        "year_label": year_label(year),
        "evaluation": evaluation,
        "table": table,
        "charts": {"activity": activity, "supply": supply, "retention": retention_chart},
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
    }


@require_GET
@role_required(Role.COUNSELOR)
def evaluation_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "workshops/evaluation/page.html", _context(request))
    return response


@require_GET
@role_required(Role.COUNSELOR)
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    with translation.override("ja"):
        pdf = render_evaluation_pdf(context)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{EXPORT_NAME}_{context['region'].name}_{context['year_label']}.pdf"  # as the CSV's, in Japanese
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = PRIVATE
    return response


@require_GET
@role_required(Role.COUNSELOR)
def evaluation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    context = _context(request)
    with translation.override("ja"):
        rows = export_rows(context["evaluation"])
        response = export_response(fmt=fmt, columns=COLUMNS, rows=rows, basename=EXPORT_NAME)
    record_export(
        by=request.user,
        action="evaluation.export",
        fmt=fmt,
        rows=len(rows),
        query=request.GET.urlencode(),
        region=context["region"].code,
    )
    return response
