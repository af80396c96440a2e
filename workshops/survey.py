"""The participant survey link: signed, expiring, no account needed.

The token names the session; it is valid for SURVEY_VALID_DAYS after it was issued
(the organiser's page issues a fresh one each time it is opened)."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from workshops.models import WorkshopSession

SURVEY_SALT = "workshops.survey"


def valid_days() -> int:
    return int(getattr(settings, "WORKSHOP_SURVEY_VALID_DAYS", 14))


def survey_token(session: WorkshopSession) -> str:
    # Only the session's id (hex) is signed: a short link makes a QR code phones read easily.
    return signing.TimestampSigner(salt=SURVEY_SALT).sign(session.uuid.hex)


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code, to show on the screen during the session."""
    import segno  # a pinned dependency already (two-factor enrolment uses it)

    return segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def survey_link_expiry() -> datetime:
    """When a link issued now stops working."""
    return timezone.localtime() + timedelta(days=valid_days())


def session_from_token(token: str) -> WorkshopSession | None:
    """The session if the token is genuine and unexpired and its survey open; otherwise None."""
    try:
        value = signing.TimestampSigner(salt=SURVEY_SALT).unsign(token, max_age=timedelta(days=valid_days()))
        session_uuid = uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):  # BadSignature includes SignatureExpired
        return None
    return (
        WorkshopSession.objects.filter(uuid=session_uuid, survey_open=True).select_related("series__organiser").first()
    )
