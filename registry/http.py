"""HTTP helpers every app uses: the client's address (for the audit log, the session list and
the login throttle: AXES_CLIENT_IP_CALLABLE), and `private` pages that no cache may keep."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from registry.models import User

# Pages and files with non-public data: no shared cache, no copy behind the back button.
PRIVATE = "private, no-store"


class StaffRequest(HttpRequest):
    """The request of a view behind login (`login_required`, `role_required`): its user is a
    staff account, and django-htmx has added `htmx` (django-stubs' pattern for typed requests)."""

    user: User
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind our reverse proxy it is the last X-Forwarded-For hop
    (the one the proxy itself appended); earlier hops are client-supplied and untrusted."""
    if settings.BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return str(forwarded[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: the response is sent `private, no-store` (client data, printed sheets)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE
        return response

    return wrapped
