"""API tokens: how another system (a prefecture portal, a 211-style directory) reads the
published programs an agency may see, without a staff account.

A token belongs to an agency, not to a person: it keeps working when the admin who made it
leaves. Only the SHA-256 hash of the secret is stored (the secret has 256 random bits, so a
plain hash is enough and lets one indexed lookup find the token); the secret is shown once,
right after creation. A short prefix of it stays visible so admins can tell tokens apart."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, User

TOKEN_SCHEME = "shg_"  # noqa: S105 (not a secret: the prefix that makes tokens recognisable in logs and scanners)
PREFIX_LENGTH = len(TOKEN_SCHEME) + 8
# last_used_at is bookkeeping, not an audit trail: written at most this often per token.
LAST_USED_EVERY = timedelta(minutes=5)


def new_secret() -> str:
    return TOKEN_SCHEME + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, agency__is_active=True)

    def for_secret(self, secret: str) -> "ApiToken | None":
        """The usable token with this secret, or None (unknown, revoked, inactive agency)."""
        if not secret.startswith(TOKEN_SCHEME):
            return None
        return self.usable().select_related("agency__region__prefecture").filter(key_hash=hash_secret(secret)).first()


class ApiToken(models.Model):
    """A read-only API token of one agency (see sheets/api)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 県ポータル"))
    prefix = models.CharField(_("token starts with"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def note_use(self) -> None:
        """Record roughly when the token was last used (one write per LAST_USED_EVERY at most)."""
        now = timezone.now()
        if self.last_used_at is None or self.last_used_at < now - LAST_USED_EVERY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
