"""The participant survey link: signed, expiring, no account needed.

The token names the session; it is valid for SURVEY_VALID_DAYS after it was issued
(the organiser's page issues a fresh one each time it is opened)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from workshops.models import WorkshopSession

SURVEY_SALT = "workshops.survey"


def valid_days() -> int:
    return int(getattr(settings, "WORKSHOP_SURVEY_VALID_DAYS", 14))


def survey_token(session: WorkshopSession) -> str:
    return signing.TimestampSigner(salt=SURVEY_SALT).sign_object({"s": str(session.uuid)})


def survey_link_expiry() -> datetime:
    """When a link issued now stops working."""
    return timezone.localtime() + timedelta(days=valid_days())


def session_from_token(token: str) -> WorkshopSession | None:
    """The session if the token is genuine and unexpired and its survey open; otherwise None."""
    try:
        data = signing.TimestampSigner(salt=SURVEY_SALT).unsign_object(token, max_age=timedelta(days=valid_days()))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return (
        WorkshopSession.objects.filter(uuid=data.get("s"), survey_open=True).select_related("series__organiser").first()
    )
