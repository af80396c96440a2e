"""The guide to 業務の切り出し and sheet writing (/guide/), its printable training edition, and
the writing check of ② fields (an htmx endpoint; the program form shows the same check
server-side and the save reports it, so it works without JavaScript too)."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from registry.access import role_required
from registry.http import PRIVATE
from registry.models import Role
from sheets.dimensions import DIMENSIONS, LEVELS
from sheets.guide import writing
from sheets.guide.parts import PARTS
from sheets.printing import pdf


def _guide_context() -> dict:
    return {
        "parts": PARTS,
        "dimensions": DIMENSIONS,
        "levels": LEVELS,
        "plain_words": sorted(writing.plain_words().values(), key=lambda w: w.word),
        "long_sentence": writing.LONG_SENTENCE,
        "kanji_share": round(writing.KANJI_SHARE * 100),
    }


@require_GET
@role_required(Role.COUNSELOR)
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "sheets/guide/guide.html", _guide_context())


@require_GET
@role_required(Role.COUNSELOR)
def guide_pdf(request: HttpRequest) -> HttpResponse:
    """The training edition: the same parts as the page, on A4 (the guide holds no agency data,
    so one cached PDF per language and text serves everyone)."""
    html = render_to_string(
        "sheets/guide/print.html", _guide_context() | {"printed_on": timezone.localdate(), "print": True}
    )
    digest = hashlib.sha256(html.encode()).hexdigest()[:24]
    key = f"guide:pdf:t{pdf.TEMPLATE_VERSION}:{translation.get_language()}:{request.get_host()}:{digest}"
    data = cache.get(key)
    if data is None:
        # Links in the PDF (the blank task breakdown sheet) point to this site.
        data = pdf.render_pdf(html, base_url=request.build_absolute_uri("/"))
        cache.set(key, data, pdf.CACHE_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{_('Guide')}_{timezone.localdate():%Y%m%d}.pdf"
    )
    response["Cache-Control"] = PRIVATE
    return response


@require_POST
@role_required(Role.COUNSELOR)
def writing_check(request: HttpRequest) -> HttpResponse:
    """The check of one ② field as the coordinator types (htmx swaps the result in beside the
    field). It reads the text and writes nothing."""
    field = request.POST.get("field", "")
    if field not in writing.WRITING_FIELDS:
        return HttpResponseBadRequest(_("Unknown field."))
    notes = writing.check(request.POST.get(field, ""))
    # Only what goes in the field's check (the live region stays: hx-swap="innerHTML").
    response = render(request, "sheets/guide/_writing_check_notes.html", {"notes": notes})
    response["Cache-Control"] = PRIVATE
    return response
