"""What the printed sheets show: one context builder per sheet, used by the print preview,
the PDF, the binder and the employer's review page alike, so all of them print the same.

- ① employer: the employer, its introduction (EmployerIntro), photos and published programs;
- ② client: the program in plain words with pictograms derived from ③'s ratings and facts;
- ③ supporter: ② plus the demand profile chart and the supporter-only fields;
- the task breakdown sheet, blank (interview guide) or filled.

`sheet_pdf` fits a sheet into its page budget by choosing one of the sheet's densities (print
classes: tighter spacing, then smaller type — never below 12 pt on ② and 9 pt on ③); CSS does
the fitting, nothing is ever cut. Each layout is a whole WeasyPrint pass, so `fit_document`
starts from a guess and lays out again only when the guess was wrong (docs/performance.md)."""

import base64
import functools
import re
from dataclasses import dataclass

from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from registry.models import User
from sheets.breakdowns.models import TaskBreakdown
from sheets.clients.models import IntroSection, SelfIntroduction, SharingConsent
from sheets.clients.selectors import introduction_dimensions, program_outcome_counts
from sheets.clients.services import printable_sections
from sheets.dimensions import DIMENSIONS, LEVELS, rows_for_display
from sheets.japanese import with_honorific
from sheets.printing import pdf
from sheets.printing.models import EmployerIntro, Photo
from sheets.programs.furigana import words_in_html
from sheets.programs.models import Program, ReviewLink
from sheets.vocabulary import (
    CutOut,
    EngagementType,
    EnvironmentFactor,
    Frequency,
    Month,
    Place,
    Posture,
    TeachingMethod,
    Weekday,
)

# Density classes, largest type first, tried when a sheet would exceed its page budget.
DENSITIES = ("normal", "compact", "dense")


@dataclass(frozen=True)
class SheetKind:
    key: str
    number: str
    title: Promise
    page_budget: int
    # The print classes this sheet may use (templates/sheets/print/_print.css): ② and ③ stop at
    # "compact", their smallest readable type (12 pt and 9 pt); longer text continues instead.
    densities: tuple[str, ...] = DENSITIES
    # Characters of printed text from which the first layout is tried one density down: a guess
    # that saves a WeasyPrint pass on long sheets (fit_document checks it either way). Measured
    # with maximum-length and half-length sheets (docs/performance.md, "Fitting a sheet").
    long_text: int | None = None


SHEET_KINDS: dict[str, SheetKind] = {
    "employer": SheetKind("employer", "①", _("Employer introduction sheet"), 1),
    "client": SheetKind(
        "client", "②", _("Program information sheet for clients"), 2, ("normal", "compact"), long_text=1500
    ),
    "supporter": SheetKind(
        "supporter", "③", _("Program information sheet for supporters"), 2, ("normal", "compact"), long_text=1700
    ),
}
BREAKDOWN_KIND = SheetKind("breakdown", "", _("Task breakdown sheet"), 99)
BINDER_KIND = SheetKind("binder_cover", "", _("Print binder"), 99)
REVIEW_HANDOUT_KIND = SheetKind("review_handout", "", _("Review link hand-out"), 1)
PUBLISHED_ON_SHEET = 8  # programs listed on ①; more are counted ("and N more"), not dropped silently
BLANK_ROWS = 3  # task blocks on the blank interview guide
PHOTOS_PRINTED = 2  # photos a sheet prints: the first two (the photo panels say so)


# --- Pictograms (②): derived from ③'s ratings and the task rows' facts ------------------------


@functools.cache
def _icon(key: str) -> SafeString:
    # The icons are fixed SVG files: read once per process, not included anew on every card
    # of every search page (20 cards, up to 5 icons each).
    return mark_safe(render_to_string(f"sheets/print/icons/{key}.svg"))  # noqa: S308 (our own file)


@dataclass(frozen=True)
class Pictogram:
    key: str  # the icon's file name in templates/sheets/print/icons/
    label: str

    @property
    def icon(self) -> SafeString:
        return _icon(self.key)


def _rows_facts(program: Program) -> dict:
    rows = list(program.source_rows.all())
    return {
        # Per task row, the postures it was recorded with (rows without any are left out).
        "postures": [set(r.postures) for r in rows if r.postures],
        "places": {r.place for r in rows if r.place},
        "factors": {f for r in rows for f in r.environment_factors},
        "lifting": max((r.lifting_kg or 0 for r in rows), default=0),
    }


# The program's own columns the pictograms read (besides its task rows, `source_rows`).
PICTOGRAM_FIELDS = ("demands", "supporter_may_accompany")
UPRIGHT = {Posture.STANDING, Posture.WALKING}


def _posture(postures: list[set], d: dict) -> tuple[str, Promise] | None:
    """What the tasks were recorded as: seated when every task can be done sitting (a task noted
    as sitting and standing says so: 「すわってもできる」), standing when one must be done upright.
    Only a program without recorded postures falls back to its stamina rating — a rating of 2
    (standing or walking most of the time) does not make a seated task a standing one."""
    if postures:
        if all(Posture.SITTING in p for p in postures):
            if any(p & UPRIGHT for p in postures):
                return "sitting", _("Can be done sitting down")
            return "sitting", _("Work sitting down")
        if any(p & UPRIGHT for p in postures):
            return "standing", _("Standing work")
        return None
    if d.get("stamina", 0) >= 2:
        return "standing", _("Standing work")
    if d.get("stamina") == 0:
        return "sitting", _("Work sitting down")
    return None


def _place(places: set, d: dict) -> tuple[str, Promise] | None:
    """Where the tasks take place; the environment rating only when no task records a place."""
    if places:
        if Place.OUTDOOR in places:
            return "outdoor", _("Outdoors")
        return "indoor", _("Indoors")
    if d.get("environment", 0) >= 3:
        return "outdoor", _("Outdoors")
    return None


def _company(d: dict) -> tuple[str, Promise] | None:
    """Alone or with others: task rows record no such fact, so the program's own ratings of
    people and teamwork (adjusted to this program, not the tasks' highest) decide."""
    if d.get("people", 0) >= 3:
        return "customers", _("Talks with customers")
    if d.get("people") == 0 or (d.get("autonomy", 0) >= 2 and d.get("teamwork", 0) <= 1):
        return "alone", _("Works alone")
    if d.get("teamwork", 0) >= 2:
        return "team", _("Works with others")
    return None


def pictograms(program: Program) -> list[Pictogram]:
    """Plain-word pictograms for clients who read little: posture, place and lifting from what
    the program's task rows record, the rest from the program's own ratings (0–3) of ③."""
    d = program.demands or {}
    facts = _rows_facts(program)
    found = [_posture(facts["postures"], d), _place(facts["places"], d), _company(d)]
    if facts["lifting"] >= 5 or (not facts["lifting"] and d.get("stamina", 0) >= 3):
        kg = facts["lifting"]
        found.append(("lifting", _("Lifting (up to %(kg)d kg)") % {"kg": kg} if kg else _("Lifting heavy things")))
    if d.get("dexterity", 0) >= 2:
        found.append(("handwork", _("Fine handwork")))
    if facts["factors"] & {EnvironmentFactor.NOISE, EnvironmentFactor.SMELL, EnvironmentFactor.DUST}:
        found.append(("noise", _("Noise, smell or dust")))
    if d.get("pace", 0) >= 3:
        found.append(("hurry", _("Time pressure")))
    if program.supporter_may_accompany:
        found.append(("supporter", _("Your supporter may come along")))
    return [Pictogram(key, str(label)) for key, label in filter(None, found)]


# --- Demand profile chart (③): an SVG drawn from numbers, identical on screen and paper ----

CHART = {"label_width": 132, "bar_width": 120, "row_height": 21, "top": 20}


def demand_chart(ratings: dict | None) -> dict:
    rows = rows_for_display(ratings)
    step = CHART["bar_width"] / 3
    for index, row in enumerate(rows):
        row["y"] = CHART["top"] + index * CHART["row_height"]
        row["bar"] = round((row["level"] or 0) * step, 1)
        row["text_x"] = round(CHART["label_width"] + row["bar"] + 4, 1)
    width = CHART["label_width"] + CHART["bar_width"] + 30
    height = CHART["top"] + len(rows) * CHART["row_height"] + 4
    ticks = [{"level": level, "x": CHART["label_width"] + round(level * step, 1)} for level in LEVELS]
    return {"rows": rows, "width": width, "height": height, "ticks": ticks, **CHART}


# --- Shared header/footer facts -----------------------------------------------------------


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _photo_src(photo: Photo, inline: bool) -> str:
    """The access-checked URL, or a data: URI where the reader has no account (review link)."""
    if not inline:
        return reverse("photo_serve", args=[photo.uuid])
    with photo.image.open("rb") as handle:
        return f"data:{photo.mime_type};base64,{base64.b64encode(handle.read()).decode()}"


def _photos(queryset, inline: bool, limit: int) -> list[dict]:
    return [
        {"src": _photo_src(p, inline), "caption": p.caption, "landscape": p.width >= p.height} for p in queryset[:limit]
    ]


def program_context(
    program: Program,
    kind: str,
    *,
    user=None,
    inline_photos: bool = False,
    after_client: bool = False,
    furigana: bool | None = None,
) -> dict:
    """Everything sheets ①②③ print for one program. `after_client`: ③ printed right after ②
    of the same program (the binder) leaves out what ② has just printed. `furigana`: this
    print's choice for ② (None: the program's own, 「②にふりがなをつける」)."""
    sheet = SHEET_KINDS[kind]
    employer = program.employer
    context = {
        "sheet": sheet,
        "program": program,
        "employer": employer,
        "owner": program.owner,
        "region": program.owner.region,
        "revision": program.revision,
        "revision_date": _local_date(program.updated_at),
        "last_verified_on": program.last_verified_on,
        "document_title": f"{sheet.number} {sheet.title} {program.title if kind != 'employer' else employer.name}",
    }
    if kind == "employer":
        intro = EmployerIntro.objects.filter(employer=employer).first()
        published = Program.objects.published().filter(employer=employer)
        if user is not None:
            published = published.filter(pk__in=Program.objects.for_user(user).values("pk"))
        context |= _employer_sheet_dates(employer, intro) | {
            "intro": intro,
            "photos": _photos(employer.photos.filter(program=None, breakdown=None), inline_photos, PHOTOS_PRINTED),
            "published_programs": list(published.order_by("title")[:PUBLISHED_ON_SHEET]),
            "published_more": max(published.count() - PUBLISHED_ON_SHEET, 0),
        }
    else:
        context |= {
            # One program's rows: their own order, without the joins of the model's cross-program one.
            "timetable": list(program.timetable.order_by("position", "id")),
            "pictograms": pictograms(program),
            "photos": _photos(program.photos.all(), inline_photos, PHOTOS_PRINTED),
            "days": program.__class__._meta.get_field("days").choice_labels(program.days),
        }
    if kind == "client":
        context["furigana"] = program.furigana if furigana is None else furigana
    if kind == "supporter":
        context |= {
            "continues_client": after_client,
            "chart": demand_chart(program.demands),
            "confirmable": set(program.confirmable),
            "dimensions": DIMENSIONS,
            "accommodations": program.__class__._meta.get_field("accommodations").choice_labels(program.accommodations),
            # All agencies' referrals, numbers only, small ones suppressed (sheets.selectors).
            "outcomes": program_outcome_counts(program).values(),
        }
    return context


def _employer_sheet_dates(employer, intro: EmployerIntro | None) -> dict:
    """① tells the employer, not one of its programs: the same ① printed from any program of the
    employer says when its own record (or its introduction) last changed and when the employer
    was last visited — not the revision and verification date of the program it was printed from."""
    changed = max(filter(None, [employer.updated_at, intro.updated_at if intro else None]))
    # A task breakdown records its own visit date, with or without an entry in the visit log.
    visits = [employer.visits.aggregate(last=Max("visited_on")), employer.breakdowns.aggregate(last=Max("visited_on"))]
    last_visit = max((visit["last"] for visit in visits if visit["last"]), default=None)
    return {"revision": None, "as_of": _local_date(changed), "last_verified_on": last_visit, "visited": True}


def client_words(program: Program) -> list[tuple[str, str, str]]:
    """The words with kanji that ② prints (its furigana part), as (word, reading shown,
    dictionary reading): the list the coordinator corrects readings from."""
    context = program_context(program, "client", furigana=False)
    return words_in_html(render_to_string("sheets/print/_program_basics.html", context), program.readings)


def breakdown_context(breakdown: TaskBreakdown | None) -> dict:
    """The task breakdown sheet: filled from a breakdown, or blank (breakdown None)."""
    rows = list(breakdown.rows.all()) if breakdown else [None] * BLANK_ROWS
    employer = breakdown.employer if breakdown else None
    owner = employer.owner if employer else None
    title = BREAKDOWN_KIND.title
    return {
        "sheet": BREAKDOWN_KIND,
        "breakdown": breakdown,
        "employer": employer,
        "owner": owner,
        "region": owner.region if owner else None,
        "revision": breakdown.version if breakdown else None,
        "revision_date": _local_date(breakdown.updated_at) if breakdown else None,
        "rows": rows,
        "photos": _photos(breakdown.photos.all(), False, PHOTOS_PRINTED) if breakdown else [],
        "dimensions": DIMENSIONS,
        "levels": LEVELS,
        "choices": {
            "frequency": Frequency.choices,
            "months": Month.choices,
            "place": Place.choices,
            "postures": Posture.choices,
            "environment_factors": EnvironmentFactor.choices,
            "teaching_methods": TeachingMethod.choices,
            "cut_out": CutOut.choices,
            "engagement_types": EngagementType.choices,
            "days": Weekday.choices,
        },
        "document_title": f"{title} {employer.name}" if employer else str(title),
    }


# --- The self-introduction (しごと体験等参加者の自己紹介書), the host employer's copy ---------

SELF_INTRODUCTION_KIND = SheetKind("self_introduction", "", _("Self-introduction"), 1)


def introduction_context(introduction: SelfIntroduction, consent: SharingConsent) -> dict:
    """What the employer's copy shows: ONLY the consented sections (see printable_sections)."""
    client = introduction.client
    agency = client.agency
    sections = printable_sections(consent)
    return {
        "sheet": SELF_INTRODUCTION_KIND,
        "introduction": introduction,
        "consent": consent,
        "shown": {key: key in sections for key in IntroSection.values},
        "dimensions": introduction_dimensions(introduction),
        "regions": list(introduction.regions.all()),
        "agency": agency,
        "owner": agency,
        "region": agency.region,
        "revision": introduction.version,
        "revision_date": timezone.localtime(introduction.updated_at).date(),
        "document_title": str(SELF_INTRODUCTION_KIND.title),
        "printed_on": timezone.localdate(),
    }


# --- Rendering --------------------------------------------------------------------------------


def template_for(kind: str) -> str:
    return f"sheets/print/{kind}.html"


def render_sheet_html(
    kind: str, context: dict, *, density: str = "normal", preview: dict | None = None, request=None
) -> str:
    """The sheet as one HTML document. `preview` (toolbar data, with the request for its
    forms) is None for the PDF: the paper is the same, only the toolbar is added."""
    return render_to_string(
        template_for(kind), context | {"density": density, "preview": preview}, request=request if preview else None
    )


@dataclass(frozen=True)
class PrintedSheet:
    pdf: bytes
    density: str
    pages: int
    from_cache: bool
    # Where pages 2, 3… begin (pdf.page_starts), for the preview to mark.
    page_starts: tuple = ()


KINDS_BY_KEY = {
    k.key: k for k in (*SHEET_KINDS.values(), BREAKDOWN_KIND, BINDER_KIND, SELF_INTRODUCTION_KIND, REVIEW_HANDOUT_KIND)
}
# How much taller a sheet grows, at most, from one density to the next larger one (type size
# and spacing): a sheet that fills less than 1/GROWTH of its budget may fit one density up.
GROWTH = 1.25
_TEXT = re.compile(r"<[^>]*>")


def printed_characters(html: str) -> int:
    """The characters of text a sheet prints (its <main>, without tags and blanks)."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return len("".join(_TEXT.sub("", main).split()))


def _filled(document, budget: int) -> float:
    """The share of the page budget the laid-out content uses (1.0 = every page full)."""
    pages = document.pages
    try:  # the root box of the last page is as tall as the content placed on it
        page_box = pages[-1]._page_box
        last = page_box.children[0].margin_height() / page_box.height
    except (AttributeError, IndexError, ZeroDivisionError):  # pragma: no cover - WeasyPrint internals moved
        last = 1.0
    return (len(pages) - 1 + min(last, 1.0)) / budget


def fit_document(kind: str, context: dict, budget: int):
    """(WeasyPrint document, density): the largest type whose layout stays within budget (the
    smallest when none does: long text then continues on another page, never cut).

    Every layout is a whole WeasyPrint pass (≈ the cost of the PDF itself), so the first one is
    a guess from the amount of text; a sheet that fits is laid out one density up only when it
    leaves room for it to fit, one that does not fit one density down."""
    sheet = KINDS_BY_KEY.get(kind)
    densities = sheet.densities if sheet else DENSITIES
    normal_html = render_sheet_html(kind, context)
    guess = 0
    if sheet and sheet.long_text is not None and printed_characters(normal_html) >= sheet.long_text:
        guess = 1
    documents: dict[int, object] = {}
    index = guess
    while True:
        html = normal_html if index == 0 else render_sheet_html(kind, context, density=densities[index])
        document = documents[index] = pdf.layout(html)
        if len(document.pages) <= budget:
            if index > 0 and index - 1 not in documents and _filled(document, budget) * GROWTH <= 1:
                index -= 1
                continue
            return document, densities[index]
        if index + 1 in documents:  # one density up did not fit after all
            return documents[index + 1], densities[index + 1]
        if index + 1 == len(densities):
            return document, densities[index]
        index += 1


def sheet_cache_key(program: Program, kind: str, context: dict) -> str:
    """The PDF cache key: a digest of the sheet's HTML, so anything printed that changes (the
    employer, photos, outcome counts, the programs ① lists for this reader…) gives a new key."""
    return pdf.cache_key(
        program_uuid=program.uuid,
        revision=program.version,
        kind=kind,
        language=translation.get_language() or "",
        html=render_sheet_html(kind, context),
    )


def sheet_pdf(
    program: Program, kind: str, *, user=None, context: dict | None = None, furigana: bool | None = None
) -> PrintedSheet:
    """The PDF of sheet `kind` of `program`, fitted to its page budget, from the cache when
    nothing it shows has changed. `context` is the sheet's program_context when the caller has
    it already (the preview shows it too): it is read once per request, not twice."""
    from django.core.cache import cache

    if context is None:
        context = program_context(program, kind, user=user, furigana=furigana)
    key = sheet_cache_key(program, kind, context)
    cached = cache.get(key)
    if cached is not None:
        return PrintedSheet(cached["pdf"], cached["density"], cached["pages"], True, tuple(cached["starts"]))
    document, density = fit_document(kind, context, SHEET_KINDS[kind].page_budget)
    data, pages, starts = pdf.write_pdf(document), len(document.pages), pdf.page_starts(document)
    cache.set(key, {"pdf": data, "density": density, "pages": pages, "starts": starts}, pdf.CACHE_SECONDS)
    return PrintedSheet(data, density, pages, False, tuple(starts))


def breakdown_pdf(breakdown: TaskBreakdown | None) -> bytes:
    return pdf.render_pdf(render_sheet_html("breakdown", breakdown_context(breakdown)))


# --- The review link's printed hand-out ------------------------------------------------------


def link_qr_svg(url: str, *, scale: int = 4, sized_by_css: bool = False) -> SafeString:
    """A link as a QR code (inline SVG): the one generator of the review link's code, on the
    screen that shows the new link and on its printed hand-out. Error level M: a creased or
    slightly smudged print still reads. `sized_by_css`: no width/height but a viewBox, so the
    print CSS gives the code its size in millimetres whatever the link's length."""
    import segno  # pinned already (two-factor enrolment uses it)

    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=scale, dark="#000", light="#fff", omitsize=sized_by_css)
    return mark_safe(svg)  # noqa: S308 (segno's markup; the link is encoded in it, not inserted)


def review_handout_context(program: Program, link: ReviewLink, *, url: str, contact: User) -> dict:
    """The hand-out the coordinator gives the employer contact (print, post or leave at a
    visit): which sheets to check, the link as text and as a QR code, until when it works,
    and whom to ask — the agency and the staff member who prints it."""
    owner = program.owner
    return {
        "sheet": REVIEW_HANDOUT_KIND,
        "document_title": f"{REVIEW_HANDOUT_KIND.title}：{program.employer.name}",
        "program": program,
        "employer": program.employer,
        "addressee": with_honorific(program.employer.contact_name) if program.employer.contact_name else "",
        "owner": owner,
        "region": owner.region,
        "sheets": [SHEET_KINDS[key] for key in ("employer", "client", "supporter")],
        "url": url,
        "qr_svg": link_qr_svg(url, sized_by_css=True),
        "expires_on": _local_date(link.expires_at),
        "contact": contact,
    }


def review_handout_pdf(context: dict) -> bytes:
    return pdf.render_pdf(render_sheet_html(REVIEW_HANDOUT_KIND.key, context))
