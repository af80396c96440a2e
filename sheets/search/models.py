"""Saved searches: a counselor's named program searches (the query string of /programs/),
seen only by their owner while acting for the agency they were saved under."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, User


class SavedSearchQuerySet(models.QuerySet["SavedSearch"]):
    def for_user(self, user, agency: Agency | None) -> "SavedSearchQuerySet":
        """Only the owner's own searches, for the agency they act for now."""
        if agency is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user, agency=agency)


class SavedSearch(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    name = models.CharField(_("name of the search"), max_length=100)
    query = models.CharField(_("search"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "name"], name="saved_search_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
