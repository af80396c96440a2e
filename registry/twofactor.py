"""Two-factor authentication with TOTP apps (django-otp) and one-time recovery codes."""

import base64
from dataclasses import dataclass
from typing import cast

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp import device_classes, devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import User, memberships_of

RECOVERY_CODE_COUNT = 10


def is_required(user: User) -> bool:
    """Required by the platform setting, or by any active agency the user belongs to."""
    if settings.REQUIRE_2FA:
        return True
    # The memberships every page reads anyway (the acting agency, the header): no query of its own.
    return any(membership.agency.require_2fa for membership in memberships_of(user))


def is_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


# Set on the user by registry.backends.AccountBackend, which reads it with the user.
HAS_DEVICE_ATTRIBUTE = "has_confirmed_device"


def has_confirmed_device() -> Exists:
    """Whether the query's user has a confirmed device of any kind: one condition over all
    device tables (django-otp's own check asks each table in turn)."""
    devices = [model.objects.filter(user=OuterRef("pk"), confirmed=True) for model in device_classes()]
    condition: Exists = Exists(devices[0])
    for more in devices[1:]:
        condition = cast(Exists, condition | Exists(more))
    return condition


def has_any_device(user: User) -> bool:
    """Asked on every request: answered by the user's own query where the backend read it."""
    known = getattr(user, HAS_DEVICE_ATTRIBUTE, None)
    if known is not None:
        return bool(known)
    return User.objects.filter(pk=user.pk).filter(has_confirmed_device()).exists()


@dataclass
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, for typing into an app by hand
    qr_svg: str  # the otpauth:// URL as an inline SVG


def enrolment_for(user: User) -> Enrolment:
    """The user's pending (unconfirmed) TOTP device, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    # A viewBox instead of a fixed width (385 px overflowed a 375 px phone): the page's CSS scales
    # it (.tfa-qr). Segno's border of 4 modules, the quiet zone a reader needs, is inside the box.
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=True, svgclass="tfa-qr")
    return Enrolment(device=device, secret=secret, qr_svg=svg)


@transaction.atomic
def confirm_enrolment(user: User, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; returns new recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator per person
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; each works once. Shown to the user once, never stored in clear
    anywhere else (django-otp keeps them in its own table; they are not written to the audit log)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(user: User, token: str) -> Device | None:
    """The device that accepts the code (TOTP or a recovery code, which is then used up), or None."""
    token = token.replace(" ", "").strip()
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def disable(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def verify_device_after_enrolment(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def enrolled_user_ids(user_ids: list[int]) -> list[int]:
    return list(TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
