"""API tokens: how another system (a prefecture portal, a 211-style directory) reads the
published programs an agency may see, without a staff account.

A token belongs to an agency, not to a person: it keeps working when the admin who made it
leaves. Only the SHA-256 hash of the secret is stored (the secret has 256 random bits, so a
plain hash is enough and lets one indexed lookup find the token); the secret is shown once,
right after creation. A short prefix of it stays visible so admins can tell tokens apart."""

import hashlib
import secrets
from datetime import timedelta

TOKEN_SCHEME = "shg_"  # noqa: S105 (not a secret: the prefix that makes tokens recognisable in logs and scanners)
PREFIX_LENGTH = len(TOKEN_SCHEME) + 8
# last_used_at is bookkeeping, not an audit trail: written at most this often per token.
LAST_USED_EVERY = timedelta(minutes=5)


def new_secret() -> str:
    return TOKEN_SCHEME + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
