"""Password reset that is throttled and does the same work for every address.

Django's PasswordResetView looks the address up and, for an account, renders and sends the
e-mail inside the request: ≈ 7 ms slower for existing accounts (an oracle for who has an
account), and without any limit (12 requests, 12 e-mails). Here the request only counts and
enqueues; the task worker (`manage.py db_worker`) looks the address up and sends. Limits, in
fixed windows counted in the cache (shared by app servers when REDIS_URL is set):

- per e-mail address, `PASSWORD_RESET_EMAIL_LIMIT` (3 per hour): beyond it nothing is sent, and
  the answer is the same "if it belongs to an account, we sent a link" page;
- per client address, `PASSWORD_RESET_ADDRESS_LIMIT` (20 per hour): beyond it, 429 with a
  message to wait."""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.tasks import task

from registry.http import client_ip


def over_limit(kind: str, subject: str, rate: tuple[int, int]) -> bool:
    """Counts one use of `subject` in the current window; whether it is beyond the limit."""
    limit, period = rate
    window = int(time.time() // period)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:24]  # no address in clear in the cache
    key = f"reset-rate:{kind}:{digest}:{period}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        used = 1
    return used > limit


@task()
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """What Django's view does in the request: the accounts of the address get the link."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        request = self.request
        if over_limit("address", client_ip(request), settings.PASSWORD_RESET_ADDRESS_LIMIT):
            return render(request, "registration/password_reset_throttled.html", status=429)
        email = form.cleaned_data["email"].strip().lower()
        if not over_limit("email", email, settings.PASSWORD_RESET_EMAIL_LIMIT):
            send_password_reset.enqueue(email=email, domain=request.get_host(), use_https=request.is_secure())
        return HttpResponseRedirect(self.get_success_url())
