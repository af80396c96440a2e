"""Writes of API tokens (registry/api_tokens.py): validated, one transaction, one audit entry.
The secret never reaches the audit log — only the token's uuid, name and visible prefix."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from registry.api_tokens import PREFIX_LENGTH, hash_secret, new_secret
from registry.models import Agency, ApiToken, User
from registry.services import audit


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once to the admin who created it, stored nowhere


@transaction.atomic
def api_token_create(*, agency: Agency, by: User, name: str) -> NewToken:
    secret = new_secret()
    token = ApiToken(
        agency=agency, name=name.strip(), prefix=secret[:PREFIX_LENGTH], key_hash=hash_secret(secret), created_by=by
    )
    token.full_clean()
    token.save()
    audit(by=by, agency=agency, action="api_token.create", target=token, name=token.name, prefix=token.prefix)
    return NewToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revocation takes effect on the token's next request; revoking twice changes nothing."""
    current = ApiToken.objects.select_for_update().get(pk=token.pk)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit(by=by, agency=current.agency, action="api_token.revoke", target=current, prefix=current.prefix)
    return current
