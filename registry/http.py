"""HTTP helpers every app uses: the client's address (for the audit log, the session list and
the login throttle: AXES_CLIENT_IP_CALLABLE), and `private` pages that no cache may keep."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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


def query_text(request: HttpRequest, name: str, max_length: int | None = None) -> str:
    """A free-text query parameter (a search box, an API's `search`) as the database can take
    it: trimmed, at most `max_length` characters, without NUL characters — no stored text holds
    one, and PostgreSQL refuses them in a query with an error (a 500) rather than no match.
    Form fields need none of this: Django's forms refuse NUL next to the field."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: the response is sent `private, no-store` (client data, printed sheets)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = PRIVATE
        return response

    return wrapped


# --- Asking before a destructive action -----------------------------------------------------------

CONFIRMED = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    """Whether the POST comes from the confirmation page (see `confirmation`)."""
    return request.POST.get(CONFIRMED) == "1"


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    confirm_label: str,
    cancel_url: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """The page that says what a destructive action will do before it is done: the action's own
    button posts here first; this page posts the same fields again with `confirmed=1`. Nothing
    has changed yet, so it answers 200; it is never cached (it may name a client)."""
    response = render(
        request,
        "confirm_action.html",
        {
            "title": title,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "action": request.path,
            "fields": sorted((fields or {}).items()),
            "confirmed_name": CONFIRMED,
        },
    )
    response["Cache-Control"] = PRIVATE
    return response
