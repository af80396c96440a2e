"""Saved searches: a counselor's named program searches (the query string of /programs/),
seen only by their owner while acting for the agency they were saved under."""

import uuid
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, User
from registry.services import audit

MAX_SAVED_PER_USER = 50


class SavedSearch(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    name = models.CharField(_("name of the search"), max_length=100)
    query = models.CharField(_("search"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "name"], name="saved_search_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def saved_searches_for(user, agency) -> models.QuerySet:
    """Only the owner's own searches, for the agency they act for now."""
    if agency is None or not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user, agency=agency)


def get_saved_search_for_user(user, agency, saved_uuid) -> SavedSearch:
    saved = saved_searches_for(user, agency).filter(uuid=saved_uuid).first()
    if saved is None:
        raise Http404
    return saved


def clean_query(query: QueryDict, allowed: set[str]) -> str:
    """The search's own parameters only (no page, no token), non-empty, in a stable order."""
    pairs = [(key, value) for key in sorted(query) if key in allowed for value in query.getlist(key) if value]
    return urlencode(pairs)


@transaction.atomic
def saved_search_create(*, user: User, agency: Agency, name: str, query: str) -> SavedSearch:
    name = " ".join(name.split())
    if saved_searches_for(user, agency).filter(name=name).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    if saved_searches_for(user, agency).count() >= MAX_SAVED_PER_USER:
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
