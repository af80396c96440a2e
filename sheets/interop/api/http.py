"""HTTP plumbing of the API: one decorator does what every endpoint needs, in this order —
GET/HEAD only (405 with Allow), a usable bearer token (401), the token's rate (429 with
Retry-After), then the view; errors are JSON, never the HTML error pages; answers carry an
ETag (hash of the body), an answer about one record also its Last-Modified, and become 304 on
If-None-Match/If-Modified-Since."""

import hashlib
import json
from datetime import datetime
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from sheets.interop.api.auth import check_rate, token_from_request

JSON = "application/json"
ALLOWED_METHODS = "GET, HEAD"


def error(status: int, code: str, detail: str, *, headers: dict | None = None, **extra) -> HttpResponse:
    body = {"error": code, "detail": str(detail), **extra}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type=JSON, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found() -> HttpResponse:
    return error(404, "not_found", _("Not found."))


def api_endpoint(view):
    """`view(request, agency, **kwargs)` gets the token's agency and returns a response."""

    @csrf_exempt  # no cookies, no sessions: a bearer token cannot be sent by another site's form
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return error(405, "method_not_allowed", _("Only GET is allowed."), headers={"Allow": ALLOWED_METHODS})
        token = token_from_request(request)
        if token is None:
            return error(
                401,
                "unauthorized",
                _("Send a valid API token: Authorization: Bearer <token>."),
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        rate = check_rate(token)
        if not rate.allowed:
            response = error(
                429,
                "rate_limited",
                _("Too many requests with this token. Try again in %(seconds)d seconds.")
                % {"seconds": rate.retry_after},
                headers={"Retry-After": str(rate.retry_after)},
            )
        else:
            try:
                response = view(request, token.agency, *args, **kwargs)
            except Http404:
                response = not_found()
        response["RateLimit-Limit"] = str(rate.limit)
        response["RateLimit-Remaining"] = str(rate.remaining)
        # Private to the token's agency; clients and caches revalidate with the ETag.
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapped


def json_answer(request: HttpRequest, payload: dict, *, last_modified: datetime | None) -> HttpResponse:
    """200 with ETag (and Last-Modified when given), or 304 when the client's copy is current."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, content_type=JSON)
    response["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=response["ETag"], last_modified=timestamp, response=response)


def invalid_parameters(errors: dict) -> HttpResponse:
    fields = {name: [str(message) for message in messages] for name, messages in errors.items()}
    return error(400, "invalid_parameters", _("Some parameters are not valid."), fields=fields)


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/: a JSON 404 rather than the HTML page."""
    return not_found()
