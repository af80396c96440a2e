"""The app's URLs plus the bench's floor view. Mounted only by bench/settings.py: production
(config.urls) never has the floor."""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from registry.models import acting_membership, memberships_of

# The header's membership facts, read once per user and process: the floor view itself runs
# no query (what is left is what every page pays: the session and the user).
_HEADER: dict[int, dict] = {}


def floor(request):
    """The base template and nothing else: the fixed cost of any page."""
    user = request.user
    if user.pk not in _HEADER:
        _HEADER[user.pk] = {"acting_membership": acting_membership(user), "my_memberships": memberships_of(user)}
    return render(request, "base.html", _HEADER[user.pk])


urlpatterns = [path("__bench__/floor/", floor, name="bench_floor"), *app_urlpatterns]
