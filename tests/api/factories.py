"""API test data: published programs with their search fields filled, and agency tokens."""

from django.utils import timezone

from registry import token_services
from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.search_factories import SearchableProgramFactory


def published(employer, *, scope: str = SharingScope.REGION, **fields):
    return SearchableProgramFactory(
        employer=employer, status=ProgramStatus.PUBLISHED, sharing_scope=scope, published_at=timezone.now(), **fields
    )


def token_for(agency, by, name: str = "県ポータル") -> str:
    """A new token of `agency`; returns the secret (what a client sends)."""
    return token_services.api_token_create(agency=agency, by=by, name=name).secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
