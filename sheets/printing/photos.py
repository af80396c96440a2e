"""Checking and re-encoding an uploaded photo.

Uploads are decoded with Pillow (never trusting the name or the browser's content type),
refused when they carry markup or trailing data (polyglots), and stored as a re-encoded copy:
EXIF (GPS location, camera serial) is dropped and the size is reduced for print."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
PRINT_MAX_PIXELS = 1600  # longest side after resizing: sharp at 150 dpi over a full A4 width
# Markup that makes a file "also" an HTML/SVG/script document: such polyglots are refused.
MARKUP_SIGNATURES = (b"<html", b"<script", b"<svg", b"<!doctype", b"<?php", b"<?xml", b"<body", b"<iframe")


def photo_max_bytes() -> int:
    return settings.SHEETS_PHOTO_MAX_MB * 1024 * 1024


def photo_max_pixels() -> int:
    return settings.SHEETS_PHOTO_MAX_MEGAPIXELS * 1_000_000


def too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The photo has too many pixels. Upload a photo of at most %(megapixels)d million pixels "
            "(a phone camera's photo is fine)."
        ),
        params={"megapixels": settings.SHEETS_PHOTO_MAX_MEGAPIXELS},
    )


def _refuse_too_many_pixels(width: int, height: int) -> None:
    """Decompression bombs: a small file that decodes to gigabytes. Checked from the header
    (Image.open reads only that), before verify() or load() touch the pixel data."""
    if width * height > photo_max_pixels():
        raise too_many_pixels()


@dataclass(frozen=True)
class PrintImage:
    data: bytes
    mime_type: str
    width: int
    height: int


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    """Bytes after the image's end marker are how polyglots (image + zip/HTML) are built."""
    body = data.rstrip(b"\x00\r\n ")
    if image_format == "JPEG":
        return not body.endswith(b"\xff\xd9")
    if image_format == "PNG":
        return not body.endswith(b"IEND\xaeB`\x82")
    if image_format == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 != len(data)
    return True


def check_and_reencode(uploaded) -> PrintImage:
    """The uploaded file as a clean, resized JPEG/PNG, or ValidationError with the reason."""
    if uploaded.size > photo_max_bytes():
        raise ValidationError(
            _("The photo is too large. Upload a photo of at most %(mb)d MB."),
            params={"mb": settings.SHEETS_PHOTO_MAX_MB},
        )
    data = uploaded.read()
    lowered = data.lower()
    if any(signature in lowered for signature in MARKUP_SIGNATURES):
        raise ValidationError(_("This file is not a plain photo. Upload a JPEG, PNG or WebP photo."))
    unreadable = _("This file could not be read as a photo. Upload a JPEG, PNG or WebP photo.")
    try:
        with warnings.catch_warnings():
            # Pillow's own check (Image.MAX_IMAGE_PIXELS, set to the same limit in
            # SheetsConfig.ready) warns before it refuses: either way, the same message.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:  # the header only
                image_format = probe.format
                _refuse_too_many_pixels(*probe.size)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            _refuse_too_many_pixels(*image.size)  # the frame decoded below is the one just opened
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(unreadable) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo."))
    name = (uploaded.name or "").lower()
    if not name.endswith(ALLOWED_FORMATS[image_format]):
        raise ValidationError(_("The file name does not match its content. Upload a JPEG, PNG or WebP photo."))
    if _has_trailing_data(data, image_format):
        raise ValidationError(_("This file is not a plain photo. Upload a JPEG, PNG or WebP photo."))
    return _reencode(image)


def _reencode(image: Image.Image) -> PrintImage:
    # Apply the camera's rotation first: the EXIF that carried it is about to be dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PRINT_MAX_PIXELS, PRINT_MAX_PIXELS))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if has_alpha:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        mime_type = "image/png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : nothing is copied
        mime_type = "image/jpeg"
    return PrintImage(out.getvalue(), mime_type, image.width, image.height)
