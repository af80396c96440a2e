"""Printing: rendered sheet templates → A4 PDF bytes with WeasyPrint, in-process.

Why in-process: importing WeasyPrint costs ≈ 0.4 s, a warm render of a 2-page sheet ≈ 0.2 s
(tech notes). Why harfbuzz: WeasyPrint 70 subsets fonts with libharfbuzz-subset when it can
load it (weasyprint.pdf.fonts.Font.subset) and falls back to fontTools, which is ~40× slower
on CJK fonts; `subsetter()` tells which one this process uses (a test pins it).

Fonts are the system's (fontconfig): the print CSS asks for "BIZ UDPGothic" and falls back
to "Noto Sans CJK JP" for characters BIZ UD lacks (𠮷). WeasyPrint embeds the subsets.
Each thread lays out with one FontConfiguration kept for its life (`font_config`): a new one
per document mapped the CJK font files again and filled its own glyph caches, and the old ones
lived on until a full garbage collection (docs/performance-history.md, section 6).

Rendered PDFs are kept in Django's cache. The key holds the program, its revision, the
template version, the sheet kind and the language — and a digest of the rendered HTML,
because the employer's data, photos and the list of published programs on ① change
without a new program revision."""

import hashlib
import logging
import mimetypes
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

LOGGER = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO: keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Bump when a print template or the print CSS changes: old cached PDFs are then ignored.
TEMPLATE_VERSION = 6
CACHE_SECONDS = 60 * 60 * 24 * 7
# PDF/UA-1: tagged PDF with document language and title — readable by screen readers.
PDF_VARIANT = "pdf/ua-1"


def subsetter() -> str:
    """Which font subsetter WeasyPrint will use here: "harfbuzz" or "fonttools"."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return "harfbuzz" if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0) else "fonttools"


class PrintResourceNotAllowed(Exception):
    pass


def _photo(url: str) -> tuple[bytes, str] | None:
    """/photos/<uuid>/ → the stored print rendition (the view printing the sheet has already
    checked that the reader may see the program whose photos it shows)."""
    from sheets.printing.models import Photo

    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) != 2 or parts[0] != "photos":
        return None
    photo = Photo.objects.filter(uuid=parts[1]).first()
    if photo is None:
        return None
    with photo.image.open("rb") as handle:
        return handle.read(), photo.mime_type


def _static(url: str) -> tuple[bytes, str] | None:
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        return None
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    if not found:
        return None
    return Path(found).read_bytes(), mimetypes.guess_type(found)[0] or "application/octet-stream"


def _fetcher():
    """Only our own photos, static files and data: URIs: a sheet never makes WeasyPrint fetch
    from the network or read an arbitrary file, whatever text ends up in it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SheetFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            for resolve in (_photo, _static):
                found = resolve(url)
                if found is not None:
                    body, mime_type = found
                    return URLFetcherResponse(url, body, {"Content-Type": mime_type})
            raise PrintResourceNotAllowed(url)

    return SheetFetcher(allowed_protocols=("data", "http", "https"))


_THREAD = threading.local()


def font_config():
    """This thread's WeasyPrint FontConfiguration, made on first use. Sharing it is safe
    because it only ever holds the system's fonts: the print templates have no @font-face
    and escape every text they print, so a sheet cannot add a font to it (a test checks).
    One per thread, as Pango does with its default font maps: a font map is not for two
    threads at once (gunicorn may run threads, GUNICORN_THREADS)."""
    config = getattr(_THREAD, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _THREAD.font_config = FontConfiguration()
    return config


def load_html(html: str, base_url: str | None = None):
    from weasyprint import HTML  # imported late: 0.4 s, and only printing needs it

    return HTML(string=html, base_url=base_url or "http://sheets.invalid/", url_fetcher=_fetcher())


def layout(html: str, base_url: str | None = None):
    """A whole HTML document → a laid-out WeasyPrint document (its pages), with this thread's fonts."""
    return load_html(html, base_url).render(font_config=font_config())


def write_pdf(document) -> bytes:
    """A laid-out document → PDF bytes (PDF/UA-1 when WeasyPrint can, plain PDF otherwise)."""
    try:
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    except Exception:  # pragma: no cover - a variant failure must not stop printing
        LOGGER.exception("PDF/UA rendering failed; writing a plain PDF")
        return document.write_pdf()


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """One rendered sheet (a whole HTML document with lang="ja" and <title>) → PDF bytes."""
    return write_pdf(layout(html, base_url))


def combine(documents: Sequence) -> bytes:
    """Several laid-out documents as one PDF: each keeps its own @page rules and page x/y
    counters; the first one gives the PDF its title and language."""
    pages = [page for document in documents for page in document.pages]
    return write_pdf(documents[0].copy(pages))


def _flow(box):
    """A laid-out box and its descendants in reading order, without the table headers and
    footers WeasyPrint repeats on every page a table runs over."""
    yield box
    for child in getattr(box, "children", ()):
        if not (getattr(child, "is_header", False) or getattr(child, "is_footer", False)):
            yield from _flow(child)


def page_starts(document) -> list[dict]:
    """Where pages 2, 3… of a laid-out sheet begin, for the preview to mark on its one long
    sheet of paper: the element of <main> that opens the page — its place among the elements
    of <main> in document order (as the browser's `main.querySelectorAll("*")` counts them) and
    its tag — and how many of its lines the pages before hold (0: the page opens with it;
    more: a paragraph or cell runs over the break)."""
    from weasyprint.formatting_structure.boxes import LineBox

    order: dict[int, tuple[int, str]] = {}
    seen: set[int] = set()
    lines: dict[int, int] = {}
    starts = []
    for number, page in enumerate(document.pages, start=1):
        lines_before, start = dict(lines), None
        for box in _flow(page._page_box.children[0]):  # the root box; the running heads are beside it
            element = box.element
            if element is None:
                continue
            key = id(element)
            if not order and box.element_tag == "main":
                inside = (e for e in element.iter() if e is not element and isinstance(e.tag, str))
                order = {id(e): (index, e.tag) for index, e in enumerate(inside)}
            if number > 1 and start is None and key in order:
                if key not in seen:
                    start = (key, 0)
                elif isinstance(box, LineBox):
                    start = (key, lines_before.get(key, 0))
            seen.add(key)
            if isinstance(box, LineBox):
                lines[key] = lines.get(key, 0) + 1
        if start is not None:
            index, tag = order[start[0]]
            starts.append({"page": number, "element": index, "tag": tag, "lines": start[1]})
    return starts


def cache_key(*, program_uuid, revision: int, kind: str, language: str, html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()[:24]
    return f"sheets:pdf:{program_uuid}:r{revision}:t{TEMPLATE_VERSION}:{kind}:{language}:{digest}"
