"""Who is calling: the agency of a bearer token; and how often it may call (per token)."""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from registry.models import ApiToken

BEARER = "bearer "


def token_from_request(request) -> ApiToken | None:
    """The usable token named by `Authorization: Bearer <token>`, or None."""
    header = request.headers.get("Authorization", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    token = ApiToken.objects.for_secret(header[len(BEARER) :].strip())
    if token is not None:
        token.note_use()
    return token


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the current window ends


def check_rate(token: ApiToken) -> RateDecision:
    """Fixed windows counted in the cache (shared by all app servers when REDIS_URL is set):
    at most API_RATE_LIMIT requests per period per token. The key names the token's hash, so
    counters never carry over between tokens (nor between test databases)."""
    limit, period = settings.API_RATE_LIMIT
    now = time.time()
    window = int(now // period)
    key = f"api-rate:{token.key_hash[:24]}:{period}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        used = 1
    retry_after = max(1, math.ceil((window + 1) * period - now))
    return RateDecision(allowed=used <= limit, limit=limit, remaining=max(0, limit - used), retry_after=retry_after)
