"""The participant survey link: signed, expiring, no account needed.

The token names the session and its survey round; it is valid for SURVEY_VALID_DAYS after it
was issued (the organiser's page issues a fresh one each time it is opened). Closing the survey
stops every link; opening it again starts a new round, so only links issued since then work.

One browser answers once: the first visit gives it a signed cookie holding its submission id,
which every later form load in that browser reuses, so Back → 送信 or a reload sends the same
answer again and it is stored once. (Someone who clears cookies can answer again: without
accounts, a browser is the limit we can hold.)"""

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
    # Only the session's id (hex) and round are signed: a short link makes a QR code phones read easily.
    value = session.uuid.hex if session.survey_round == 1 else f"{session.uuid.hex}.{session.survey_round}"
    return signing.TimestampSigner(salt=SURVEY_SALT).sign(value)


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
        hex_id, _dot, round_text = value.partition(".")
        session_uuid, survey_round = uuid.UUID(hex=hex_id), int(round_text or 1)
    except (signing.BadSignature, ValueError):  # BadSignature includes SignatureExpired
        return None
    return (
        WorkshopSession.objects.filter(uuid=session_uuid, survey_open=True, survey_round=survey_round)
        .select_related("series__organiser")
        .first()
    )


# The browser's submission id for one session's survey (see the module's docstring).
BROWSER_SALT = "workshops.survey.browser"
BROWSER_COOKIE_PATH = "/survey/"


def browser_cookie_name(session: WorkshopSession) -> str:
    return f"survey_{session.uuid.hex}"


def browser_submission_id(request, session: WorkshopSession) -> uuid.UUID | None:
    """The submission id this browser already holds for the session's survey, if any."""
    raw = request.get_signed_cookie(browser_cookie_name(session), default=None, salt=BROWSER_SALT)
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def keep_browser_submission_id(response, session: WorkshopSession, submission_id: uuid.UUID) -> None:
    response.set_signed_cookie(
        browser_cookie_name(session),
        str(submission_id),
        salt=BROWSER_SALT,
        max_age=valid_days() * 24 * 60 * 60,
        path=BROWSER_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
