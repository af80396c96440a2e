"""Login throttling, session tracking and audit hooks for accounts."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from registry.http import client_ip


def _attempted_login(credentials: dict) -> str:
    # Never log something that may be a password typed into the wrong field.
    username = str(credentials.get("username", ""))
    return username[:254] if "@" in username and " " not in username else "(invalid)"


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    from registry.services import audit, session_started

    if request is not None:
        session_started(request, user)
        # Start where the person last worked: a membership added since never takes over silently.
        from registry.models import ACTING_AGENCY_SESSION_KEY

        if getattr(user, "last_acting_agency_id", None):
            request.session[ACTING_AGENCY_SESSION_KEY] = user.last_acting_agency_id
    audit(by=user, agency=None, action="auth.login", target=user, ip=client_ip(request) if request else "")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    from registry.models import UserSession

    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from registry.services import audit

    audit(
        by=None,
        agency=None,
        action="auth.login_failed",
        login=_attempted_login(credentials),
        ip=client_ip(request) if request else "",
    )
