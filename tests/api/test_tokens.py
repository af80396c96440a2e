"""Agency admins create and revoke their agency's API tokens; only a hash is stored, the secret
is shown once and never reaches the audit log."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.env import env_rate
from registry.api_tokens import hash_secret
from registry.models import ApiToken, AuditEntry
from tests.api.factories import bearer, published


def test_an_admin_creates_a_token_shown_once_and_stored_hashed(client, world):
    client.force_login(world.agency_admin_a)
    response = client.post(reverse("api_token_create"), {"name": "県ポータル"})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret.startswith("shg_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.agency, token.name, token.created_by) == (world.agency_a, "県ポータル", world.agency_admin_a)
    assert token.key_hash == hash_secret(secret) and token.prefix == secret[:12]
    # Nowhere else: not in the list page, not in any stored row, not in the audit log.
    listing = client.get(reverse("api_token_list")).content.decode()
    assert token.prefix in listing and secret not in listing
    assert all(secret not in str(value) for value in ApiToken.objects.values().get().values())
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.agency == world.agency_a and entry.target_id == str(token.uuid)
    assert secret not in str(entry.detail) and hash_secret(secret) not in str(entry.detail)
    # And it works.
    published(world.employer_a, title="公開中")
    assert client.get("/api/v1/programs/", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name_and_nothing_is_created_without(client, world):
    client.force_login(world.agency_admin_a)
    response = client.post(reverse("api_token_create"), {"name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0
    assert not AuditEntry.objects.filter(action="api_token.create").exists()


def test_revoking_is_audited_and_shown(client, world):
    client.force_login(world.agency_admin_a)
    secret = client.post(reverse("api_token_create"), {"name": "県ポータル"}).context["secret"]
    token = ApiToken.objects.get()
    response = client.post(reverse("api_token_revoke", args=[token.uuid]), follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke", target_id=str(token.uuid)).count() == 1
    # Revoking again changes nothing and writes nothing.
    client.post(reverse("api_token_revoke", args=[token.uuid]))
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1
    assert client.get("/api/v1/programs/", headers=bearer(secret)).status_code == 401


def test_an_admin_cannot_revoke_another_agencys_token(client, world):
    other = ApiToken.objects.create(agency=world.agency_c, name="C", prefix="shg_x", key_hash="x" * 64)
    client.force_login(world.agency_admin_a)
    assert client.post(reverse("api_token_revoke", args=[other.uuid])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_list_shows_only_the_acting_agencys_tokens(client, world):
    ApiToken.objects.create(agency=world.agency_c, name="玖珠のポータル", prefix="shg_y", key_hash="y" * 64)
    ApiToken.objects.create(agency=world.agency_a, name="伊丹のポータル", prefix="shg_z", key_hash="z" * 64)
    client.force_login(world.agency_admin_a)
    page = client.get(reverse("api_token_list")).content.decode()
    assert "伊丹のポータル" in page and "玖珠のポータル" not in page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("600/hour", (600, 3600)), ("10/minute", (10, 60)), ("1/second", (1, 1)), ("5000/day", (5000, 86400))],
)
def test_api_rate_limit_setting(monkeypatch, raw, expected):
    monkeypatch.setenv("API_RATE_LIMIT", raw)
    assert env_rate("API_RATE_LIMIT", "600/hour") == expected


@pytest.mark.parametrize("raw", ["600", "600/week", "0/hour", "-1/hour", "many/hour", "600/ hour"])
def test_a_malformed_rate_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("API_RATE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT"):
        env_rate("API_RATE_LIMIT", "600/hour")
