"""Login lockout on the (user name, address) pair, with a slower ceiling per address.

django-axes counts failures per (user name, address) pair (`AXES_LOCKOUT_PARAMETERS`). Locking
the user name for every address let anyone who knows a staff e-mail keep that person out, and
locking the address for every user let five typos behind one shared 庁内/LGWAN address lock a
whole office. Here:

- a pair is locked after `LOGIN_FAILURE_LIMIT` failures (5) for `LOGIN_LOCKOUT_MINUTES` (15);
- an address is locked for every name after `LOGIN_ADDRESS_FAILURE_LIMIT` failures (50) within
  the same window, summed over all names — password spraying across many accounts;
- a successful login clears its own pair's failures, so colleagues' typos that end in a login
  do not count towards their office's ceiling.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from registry.http import client_ip


def address_failures(request: HttpRequest) -> int:
    """Failures from the request's address within the lockout window, over every user name."""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class PairAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]  # django-axes ships no types
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The pair's failures; at the limit when the address has reached its own ceiling (axes
        compares this number with LOGIN_FAILURE_LIMIT, both to refuse and to lock)."""
        pair = int(super().get_failures(request, credentials))
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, int(get_failure_limit(request, credentials)))
        return pair
