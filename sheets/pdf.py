"""Printing: rendered sheet templates → A4 PDF bytes with WeasyPrint, in-process.

Why in-process: importing WeasyPrint costs ≈ 0.4 s, a warm render of a 2-page sheet ≈ 0.2 s
(tech notes). Why harfbuzz: WeasyPrint 70 subsets fonts with libharfbuzz-subset when it can
load it (weasyprint.pdf.fonts.Font.subset) and falls back to fontTools, which is ~40× slower
on CJK fonts; `subsetter()` tells which one this process uses (a test pins it).

Fonts are the system's (fontconfig): the print CSS asks for "BIZ UDPGothic" and falls back
to "Noto Sans CJK JP" for characters BIZ UD lacks (𠮷). WeasyPrint embeds the subsets.

Rendered PDFs are kept in Django's cache. The key holds the program, its revision, the
template version, the sheet kind and the language — and a digest of the rendered HTML,
because the employer's data, photos and the list of published programs on ① change
without a new program revision."""

import hashlib
import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

LOGGER = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO: keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Bump when a print template or the print CSS changes: old cached PDFs are then ignored.
TEMPLATE_VERSION = 3
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
    from sheets.photos import Photo  # imported late: pdf.py stays importable without models

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


def load_html(html: str, base_url: str | None = None):
    from weasyprint import HTML  # imported late: 0.4 s, and only printing needs it

    return HTML(string=html, base_url=base_url or "http://sheets.invalid/", url_fetcher=_fetcher())


def write_pdf(document) -> bytes:
    """A laid-out document → PDF bytes (PDF/UA-1 when WeasyPrint can, plain PDF otherwise)."""
    try:
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    except Exception:  # pragma: no cover - a variant failure must not stop printing
        LOGGER.exception("PDF/UA rendering failed; writing a plain PDF")
        return document.write_pdf()


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """One rendered sheet (a whole HTML document with lang="ja" and <title>) → PDF bytes."""
    return write_pdf(load_html(html, base_url).render())


def combine(documents: Sequence) -> bytes:
    """Several laid-out documents as one PDF: each keeps its own @page rules and page x/y
    counters; the first one gives the PDF its title and language."""
    pages = [page for document in documents for page in document.pages]
    return write_pdf(documents[0].copy(pages))


def cache_key(*, program_uuid, revision: int, kind: str, language: str, html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()[:24]
    return f"sheets:pdf:{program_uuid}:r{revision}:t{TEMPLATE_VERSION}:{kind}:{language}:{digest}"
