"""Reads of the search worth naming: a counselor's saved searches on the home page."""

from django.http import HttpRequest

from registry.models import acting_membership
from sheets.search.models import SavedSearch


def saved_searches_section(request: HttpRequest) -> dict | None:
    """The signed-in user's saved searches for the agency they act for (registry.extensions.HOME)."""
    membership = acting_membership(request.user)
    saved = list(SavedSearch.objects.for_user(request.user, membership.agency if membership else None))
    return {"saved_searches": saved} if saved else None
