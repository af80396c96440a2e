"""TOTP two-factor authentication: enrolment, login with a code, recovery codes, agency rule."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry import twofactor
from registry.models import AuditEntry
from tests.factories import TEST_PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrol(client, user) -> list[str]:
    client.force_login(user)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"code": current_code(device), "password": TEST_PASSWORD})
    assert response.status_code == 200
    return re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())


def log_in(client, user):
    client.logout()
    return client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})


def test_enrolment_shows_a_qr_code_and_a_key(client, world):
    client.force_login(world.counselor_a)
    html = client.get("/accounts/2fa/setup/").content.decode()
    assert "<svg" in html
    assert re.search(r"<code class=\"fs-5\">[A-Z2-7]{16,}</code>", html)
    # Scaled by the page (a fixed width="385" overflowed a 375 px phone): a viewBox, no fixed size.
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'class="tfa-qr"' in svg and "viewBox=" in svg and "width=" not in svg


def test_a_wrong_code_does_not_turn_it_on(client, world):
    client.force_login(world.counselor_a)
    client.get("/accounts/2fa/setup/")
    response = client.post("/accounts/2fa/setup/", {"code": "000000", "password": TEST_PASSWORD})
    assert "コードが正しくありません" in response.content.decode()
    assert not twofactor.is_enrolled(world.counselor_a)


def test_after_enrolment_a_login_needs_a_code(client, world):
    codes = enrol(client, world.counselor_a)
    assert len(codes) == 10
    log_in(client, world.counselor_a)
    response = client.get("/employers/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    response = client.post("/accounts/2fa/verify/", {"code": "123456", "next": "/employers/"})
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world.counselor_a)
    # The enrolment code cannot be replayed, and a failure slows the next try down (throttling):
    # stand in for the user waiting a moment and the app showing a new code.
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()
    response = client.post("/accounts/2fa/verify/", {"code": current_code(device), "next": "/employers/"})
    assert response.status_code == 302 and response["Location"] == "/employers/"
    assert client.get("/employers/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_failed").count() == 1


def test_a_recovery_code_works_once(client, world):
    codes = enrol(client, world.counselor_a)
    log_in(client, world.counselor_a)
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
    log_in(client, world.counselor_a)
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 200
    assert twofactor.recovery_codes_left(world.counselor_a) == 9


def test_verify_never_redirects_off_site(client, world):
    codes = enrol(client, world.counselor_a)
    log_in(client, world.counselor_a)
    response = client.post("/accounts/2fa/verify/", {"code": codes[1], "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_agency_admin_makes_it_mandatory(client, world):
    client.force_login(world.agency_admin_a)
    client.post("/agency/security/", {"require_2fa": "1"})
    world.agency_a.refresh_from_db()
    assert world.agency_a.require_2fa
    client.force_login(world.counselor_a)
    response = client.get("/employers/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/setup/"
    # Other agencies are not affected.
    client.force_login(world.counselor_b)
    assert client.get("/employers/").status_code == 200
    # It cannot be turned off while required.
    enrol(client, world.counselor_a)
    client.post("/accounts/2fa/disable/", {"password": TEST_PASSWORD})
    assert twofactor.is_enrolled(world.counselor_a)


@pytest.mark.parametrize("persona", ["counselor_b", "counselor_c"])
def test_platform_setting_makes_it_mandatory_for_everybody(client, world, settings, persona):
    settings.REQUIRE_2FA = True
    client.force_login(world.users[persona])
    assert client.get("/").headers["Location"] == "/accounts/2fa/setup/"


def test_turning_it_off(client, world):
    enrol(client, world.counselor_b)
    client.post("/accounts/2fa/disable/", {"password": TEST_PASSWORD})
    assert not twofactor.is_enrolled(world.counselor_b)
    assert AuditEntry.objects.filter(action="auth.2fa_disabled").exists()


DEVICE_KINDS = ["none", "unconfirmed", "authenticator", "recovery codes only"]


def give_device(user, kind: str) -> bool:
    """Gives `user` a device of `kind`; whether it counts (a confirmed one of any kind)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    if kind == "unconfirmed":
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    elif kind == "authenticator":
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    elif kind == "recovery codes only":
        StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    return kind in {"authenticator", "recovery codes only"}


@pytest.mark.parametrize("kind", DEVICE_KINDS)
def test_the_device_check_asks_every_kind_of_device_in_one_query(world, django_assert_num_queries, kind):
    counts = give_device(world.counselor_a, kind)
    with django_assert_num_queries(1):
        assert twofactor.has_any_device(world.counselor_a) is counts


@pytest.mark.parametrize("kind", DEVICE_KINDS)
def test_the_user_read_for_a_request_answers_the_device_check(world, django_assert_num_queries, kind):
    from registry.backends import AccountBackend

    counts = give_device(world.counselor_a, kind)
    with django_assert_num_queries(1):  # the user, with the answer
        requested = AccountBackend().get_user(world.counselor_a.pk)
    with django_assert_num_queries(0):
        assert twofactor.has_any_device(requested) is counts


def test_the_backend_refuses_inactive_and_unknown_users(world):
    from registry.backends import AccountBackend

    user = world.counselor_a
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AccountBackend().get_user(user.pk) is None
    assert AccountBackend().get_user(10**9) is None


def test_a_signed_in_page_reads_the_device_check_with_the_user(client, world):
    client.force_login(world.counselor_a)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/employers/").status_code == 200
    device_checks = [q["sql"] for q in captured.captured_queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(device_checks) == 1 and '"registry_user"."password"' in device_checks[0]


def test_the_agency_rule_is_read_from_the_memberships_the_page_reads_anyway(world, django_assert_num_queries):
    from registry.models import acting_membership

    user = world.counselor_a
    assert twofactor.is_required(user) is False
    agency = acting_membership(user).agency
    agency.require_2fa = True
    agency.save(update_fields=["require_2fa"])
    fresh = type(user).objects.get(pk=user.pk)  # a new request: memberships not yet read
    with django_assert_num_queries(1):  # the memberships, shared with the acting agency below
        assert twofactor.is_required(fresh) is True
        acting_membership(fresh)


# --- issue 23 item 1: the password alone never changes or replaces the device ---------------


def _device_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def test_a_password_only_session_cannot_set_up_a_new_device(client, world):
    """The attack: after the victim has an authenticator, a session that passed only the password
    opened the setup page, got a fresh secret, posted its code and became verified."""
    enrol(client, world.counselor_a)
    victims_device = _device_of(world.counselor_a)
    log_in(client, world.counselor_a)  # password only
    response = client.get("/accounts/2fa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert not TOTPDevice.objects.filter(user=world.counselor_a, confirmed=False).exists()  # no fresh secret
    # Even with a pending device of their own making, a posted code changes nothing.
    pending = TOTPDevice.objects.create(user=world.counselor_a, name="authenticator", confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"code": current_code(pending), "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert _device_of(world.counselor_a) == victims_device
    assert client.get("/employers/").status_code == 302  # still not verified


@pytest.mark.parametrize("path", ["/accounts/2fa/recovery-codes/", "/accounts/2fa/disable/"])
def test_a_password_only_session_cannot_touch_recovery_codes_or_remove_the_device(client, world, path):
    enrol(client, world.counselor_a)
    left = twofactor.recovery_codes_left(world.counselor_a)
    log_in(client, world.counselor_a)
    response = client.post(path, {"password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/verify/")
    assert twofactor.is_enrolled(world.counselor_a)
    assert twofactor.recovery_codes_left(world.counselor_a) == left


def test_a_verified_session_replaces_the_device_only_with_the_password(client, world):
    enrol(client, world.counselor_a)  # verified by the enrolment itself
    old = _device_of(world.counselor_a)
    client.get("/accounts/2fa/setup/")
    pending = TOTPDevice.objects.get(user=world.counselor_a, confirmed=False)
    response = client.post("/accounts/2fa/setup/", {"code": current_code(pending), "password": "wrong"})
    assert response.status_code == 200 and "パスワードが正しくありません" in response.content.decode()
    assert _device_of(world.counselor_a) == old
    response = client.post("/accounts/2fa/setup/", {"code": current_code(pending), "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert _device_of(world.counselor_a) == pending


def test_turning_it_off_needs_the_password(client, world):
    enrol(client, world.counselor_b)
    response = client.post("/accounts/2fa/disable/", {"password": "wrong"})
    assert twofactor.is_enrolled(world.counselor_b)
    assert response.status_code == 302  # back to the status page with the message
    assert "パスワードが正しくありません" in client.get(response["Location"]).content.decode()
    client.post("/accounts/2fa/disable/", {"password": TEST_PASSWORD})
    assert not twofactor.is_enrolled(world.counselor_b)


def test_a_recovery_code_verifies_the_session_for_a_new_phone(client, world):
    """Lost phone: a recovery code verifies the session, which may then set up the new phone."""
    codes = enrol(client, world.counselor_a)
    log_in(client, world.counselor_a)
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
    assert client.get("/accounts/2fa/setup/").status_code == 200
