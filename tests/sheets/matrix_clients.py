"""Permission-matrix cases for clients, self-introductions, consent, matching and referrals.

Client data is agency A's alone: other agencies get 404 (not even its existence is told),
and so does the platform admin, who acts for no agency (personal data is the agency's)."""

import datetime

from django.urls import reverse

from sheets.programs.models import ProgramStatus, SharingScope
from tests.matrix_support import ALL_MEMBERS_OK, LOGIN, Case
from tests.sheets.client_factories import (
    ClientFactory,
    ReferralFactory,
    SelfIntroductionFactory,
    SharingConsentFactory,
)
from tests.sheets.factories import ProgramFactory

NOBODY = "00000000-0000-0000-0000-000000000000"
A_CLIENT = {"anonymous": LOGIN, "platform_admin": 404, "counselor_b": 404, "counselor_c": 404, "*": 200}
A_CLIENT_WRITE = {"anonymous": LOGIN, "platform_admin": 404, "counselor_b": 404, "counselor_c": 404, "*": 302}
POST_ONLY = {"*": 405}


def extend_world(world) -> None:
    world.client_a = ClientFactory(agency=world.agency_a, preferred_name="みのりさん")
    world.introduction_a = SelfIntroductionFactory(client=world.client_a)
    world.consent_a = SharingConsentFactory(introduction=world.introduction_a, employer=world.employer_a)
    world.program_for_clients = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    world.referral_a = ReferralFactory(client=world.client_a, program=world.program_for_clients)


def client_url(name):
    return lambda w: reverse(name, args=[w.client_a.uuid])


def introduction_url(name):
    return lambda w: reverse(name, args=[w.client_a.uuid, w.introduction_a.uuid])


def referral_url(name, *extra):
    return lambda w: reverse(name, args=[w.referral_a.uuid, *extra])


MATRIX = {
    "client_list": [Case("GET", lambda w: reverse("client_list"), ALL_MEMBERS_OK)],
    "client_create": [
        Case("GET", lambda w: reverse("client_create"), {"anonymous": LOGIN, "platform_admin": 403, "*": 200}),
        Case(
            "POST",
            lambda w: reverse("client_create"),
            {"anonymous": LOGIN, "platform_admin": 403, "*": 302},
            data=lambda w: {"preferred_name": "はるさん"},
        ),
    ],
    "client_detail": [
        Case("GET", client_url("client_detail"), A_CLIENT),
        Case("GET", lambda w: f"/clients/{NOBODY}/", {"anonymous": LOGIN, "*": 404}),
    ],
    # Erasure: coordinators and agency admins of the client's agency; a counselor colleague 403.
    "client_erase_confirm": [Case("GET", client_url("client_erase_confirm"), A_CLIENT | {"counselor_a": 403})],
    "client_erase": [
        Case(
            "POST",
            client_url("client_erase"),
            A_CLIENT_WRITE | {"counselor_a": 403},
            data=lambda w: {"reason": "client_request", "confirm": "on"},
        ),
        Case("GET", client_url("client_erase"), POST_ONLY),
    ],
    "client_sensitive_consent": [
        Case(
            "POST",
            client_url("client_sensitive_consent"),
            A_CLIENT_WRITE,
            data=lambda w: {"given_on": datetime.date.today().isoformat()},
        ),
        Case("GET", client_url("client_sensitive_consent"), POST_ONLY),
    ],
    "introduction_create": [Case("GET", client_url("introduction_create"), A_CLIENT)],
    "introduction_detail": [
        Case("GET", introduction_url("introduction_detail"), A_CLIENT),
        Case(
            "GET",
            lambda w: reverse("introduction_detail", args=[w.client_a.uuid, NOBODY]),
            {"anonymous": LOGIN, "*": 404},
        ),
    ],
    "introduction_edit": [Case("GET", introduction_url("introduction_edit"), A_CLIENT)],
    "introduction_pdf": [
        Case("GET", lambda w: introduction_url("introduction_pdf")(w) + f"?consent={w.consent_a.uuid}", A_CLIENT),
        # No consent: A's staff get the refusal page (403); everyone else still 404.
        Case("GET", introduction_url("introduction_pdf"), A_CLIENT | {"*": 403}),
    ],
    "consent_create": [Case("GET", introduction_url("consent_create"), A_CLIENT)],
    "consent_withdraw": [
        Case(
            "POST",
            lambda w: reverse("consent_withdraw", args=[w.client_a.uuid, w.introduction_a.uuid, w.consent_a.uuid]),
            A_CLIENT_WRITE,
            data=lambda w: {"confirmed": "1"},
        ),
        Case(
            "GET",
            lambda w: reverse("consent_withdraw", args=[w.client_a.uuid, w.introduction_a.uuid, w.consent_a.uuid]),
            POST_ONLY,
        ),
    ],
    "client_matches": [Case("GET", client_url("client_matches"), A_CLIENT)],
    "referral_create": [
        Case(
            "POST",
            client_url("referral_create"),
            A_CLIENT_WRITE,
            data=lambda w: {"program": str(w.program_for_clients.uuid)},
        ),
        Case("GET", client_url("referral_create"), POST_ONLY),
    ],
    "referral_detail": [
        Case("GET", referral_url("referral_detail"), A_CLIENT),
        Case("GET", lambda w: f"/referrals/{NOBODY}/", {"anonymous": LOGIN, "*": 404}),
    ],
    "referral_action": [
        Case(
            "POST",
            referral_url("referral_action", "schedule"),
            A_CLIENT_WRITE,
            data=lambda w: {"schedule-starts_on": "2026-12-01", "schedule-ends_on": "2026-12-01"},
        ),
        Case("POST", referral_url("referral_action", "nonsense"), {"anonymous": LOGIN, "*": 404}),
        Case("GET", referral_url("referral_action", "schedule"), POST_ONLY),
    ],
}
