"""Every write to saved searches: one audit entry each."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, User
from registry.services import audit
from sheets.search.models import SavedSearch

MAX_SAVED_PER_USER = 50


def clean_query(query: QueryDict, allowed: set[str]) -> str:
    """The search's own parameters only (no page, no token), non-empty, in a stable order."""
    pairs = [(key, value) for key in sorted(query) if key in allowed for value in query.getlist(key) if value]
    return urlencode(pairs)


@transaction.atomic
def saved_search_create(*, user: User, agency: Agency, name: str, query: str) -> SavedSearch:
    name = " ".join(name.split())
    if SavedSearch.objects.for_user(user, agency).filter(name=name).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    if SavedSearch.objects.for_user(user, agency).count() >= MAX_SAVED_PER_USER:
        raise ValidationError({"name": _("You have too many saved searches. Delete one first.")})
    saved = SavedSearch(user=user, agency=agency, name=name, query=query)
    saved.full_clean()
    saved.save()
    audit(by=user, agency=agency, action="search.save", target=saved)
    return saved


@transaction.atomic
def saved_search_delete(*, saved: SavedSearch, by: User) -> None:
    audit(by=by, agency=saved.agency, action="search.delete", target=saved)
    saved.delete()
