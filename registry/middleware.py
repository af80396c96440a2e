from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from registry.models import ACTING_AGENCY_SESSION_KEY, User, acting_membership
from registry.services import LAST_SEEN_SESSION_KEY, remember_acting_agency

# Features no page of ours uses; denying them limits what injected content could do.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
LAST_SEEN_EVERY = timedelta(minutes=5)
# The idle timeout (SESSION_COOKIE_AGE) runs from the session's last save; see _renew_session.
SESSION_RENEW_EVERY = timedelta(minutes=1)
SESSION_RENEWED_KEY = "renewed_at"


class ActingAgencyMiddleware:
    """Tells the access rules which of the user's agencies they act for (chosen in the header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            user.acting_agency_id = request.session.get(ACTING_AGENCY_SESSION_KEY)
            _never_switch_silently(request, user)
            now = timezone.now()
            _renew_session(request, now)
            _touch_session(request, now)
        elif _session_ran_out(request):
            _say_the_session_ran_out(request)
        return self.get_response(request)


def _never_switch_silently(request: HttpRequest, user: User) -> None:
    """Who the user works for changes only when they choose it in the header. When the agency of
    the session is no longer theirs (they left it, or were deactivated), the one they now work for
    is said on the page; either way it is remembered for their next session."""
    from django.utils.translation import gettext as _

    wanted = user.acting_agency_id
    membership = acting_membership(user)  # the memberships the header reads anyway
    actual = membership.agency_id if membership else None
    if actual == wanted:
        return
    request.session[ACTING_AGENCY_SESSION_KEY] = actual
    user.acting_agency_id = actual
    remember_acting_agency(user=user, agency_id=actual)
    if wanted is not None and membership is not None:
        messages.warning(
            request,
            _("You are now working for %(agency)s: the agency you worked for is no longer available to you.")
            % {"agency": membership.agency.name},
        )


def _due(session: SessionBase, key: str, every: timedelta, now: datetime) -> bool:
    """Whether `every` has passed since the session last noted `key`; if so, notes it now (a
    change to the session, which saves it)."""
    if now.timestamp() - session.get(key, 0) < every.total_seconds():
        return False
    session[key] = now.timestamp()
    return True


def _renew_session(request: HttpRequest, now: datetime) -> None:
    """Keep a signed-in session alive while it is used. Saving it on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) cost every page an UPDATE and a COMMIT; a change to the session
    saves it with a fresh expiry, so it is changed at most once a minute: the idle timeout ends
    between one minute before and exactly SESSION_COOKIE_AGE after the last request."""
    _due(request.session, SESSION_RENEWED_KEY, SESSION_RENEW_EVERY, now)


def renew_session_now(request: HttpRequest) -> None:
    """Start the idle time again now (the idle-timeout warning's 「ログインを続ける」)."""
    request.session[SESSION_RENEWED_KEY] = timezone.now().timestamp()


def _session_ran_out(request: HttpRequest) -> bool:
    """The browser still sends a session that the server no longer has: it ran out (idle time),
    or was ended from the sessions page. (A logout deletes the browser's cookie.)"""
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME)) and request.session.session_key is None


def _say_the_session_ran_out(request: HttpRequest) -> None:
    from django.utils.translation import gettext as _

    messages.info(
        request,
        _("Your login has ended (nothing was done for a while, or you logged out elsewhere). Please log in again."),
    )


def _touch_session(request: HttpRequest, now: datetime) -> None:
    """Keep the session list's "last active" roughly current without a query per request: the
    session (read anyway) remembers when it last wrote it."""
    from registry.models import UserSession

    key = request.session.session_key
    if key and _due(request.session, LAST_SEEN_SESSION_KEY, LAST_SEEN_EVERY, now):
        UserSession.objects.filter(session_key=key).update(last_seen=now)


# No page of ours has an address this long (a search with every facet is under 2,000). Longer
# ones were a 500: the redirect to the login or code page carries the address in `next`, and
# Django refuses to send a redirect longer than 16,384 characters.
MAX_URL_LENGTH = 8000


def _too_long(request: HttpRequest) -> HttpResponse:
    from django.http import HttpResponse
    from django.utils.translation import gettext as _

    text = _("This address is too long. Go back and search with fewer words.")
    return HttpResponse(text, status=414, content_type="text/plain; charset=utf-8")


class SecurityHeadersMiddleware:
    """Headers Django does not set itself. Pages for logged-in users may show personal data:
    browsers and proxies must not keep them (Cache-Control: no-store)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address over MAX_URL_LENGTH is answered before any view or redirect is made.
        too_long = len(request.get_full_path()) > MAX_URL_LENGTH
        response = _too_long(request) if too_long else self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


class TwoFactorMiddleware:
    """Sends users with an authenticator to the code page until they have entered a code, and
    users who must use two-factor authentication (agency or platform rule) to set it up."""

    EXEMPT = {"logout", "two_factor_verify", "two_factor_setup", "set_language", "healthz", "login"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        from registry import twofactor

        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or user.is_verified() or (match and match.url_name in self.EXEMPT):
            return None
        if twofactor.has_any_device(user):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if twofactor.is_required(user):
            return redirect(reverse("two_factor_setup"))
        return None
