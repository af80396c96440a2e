from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from registry.models import acting_membership, memberships_of


def acting_agency(request: HttpRequest) -> dict[str, Any]:
    """The acting membership and the others the user may switch to, for the header."""
    user = getattr(request, "user", None)
    return {
        "acting_membership": SimpleLazyObject(lambda: acting_membership(user)),
        "my_memberships": SimpleLazyObject(lambda: memberships_of(user)),
        **session_timeout(),
    }


def session_timeout() -> dict[str, int]:
    """When the idle timeout is said before it ends (templates/_partials/session_timeout.html):
    five minutes before, or at half of a timeout shorter than ten minutes."""
    idle = settings.SESSION_COOKIE_AGE
    warn = 300 if idle >= 600 else idle // 2
    return {"session_idle_seconds": idle, "session_warn_seconds": warn, "session_warn_minutes": max(warn // 60, 1)}
