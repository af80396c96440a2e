"""Login throttling, session tracking and audit hooks for accounts."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from registry.http import client_ip
from registry.models import AnyUser, User


def _attempted_login(credentials: dict[str, Any]) -> str:
    # Never log something that may be a password typed into the wrong field.
    username = str(credentials.get("username", ""))
    return username[:254] if "@" in username and " " not in username else "(invalid)"


@receiver(user_logged_in)
def on_login(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    from registry.services import audit, session_started

    if request is not None:
        session_started(request, user)
        # Start where the person last worked: a membership added since never takes over silently.
        from registry.models import ACTING_AGENCY_SESSION_KEY

        if getattr(user, "last_acting_agency_id", None):
            request.session[ACTING_AGENCY_SESSION_KEY] = user.last_acting_agency_id
    audit(by=user, agency=None, action="auth.login", target=user, ip=client_ip(request) if request else "")


@receiver(user_logged_out)
def on_logout(sender: object, request: HttpRequest | None, user: AnyUser | None, **kwargs: Any) -> None:
    from registry.models import UserSession

    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed)
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from registry.services import audit

    audit(
        by=None,
        agency=None,
        action="auth.login_failed",
        login=_attempted_login(credentials),
        ip=client_ip(request) if request else "",
    )
