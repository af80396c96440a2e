"""Erasure on request (APPI): a coordinator or agency admin erases a client with their
self-introduction forms, consents and referrals; the programs' outcome counts stay the same
(kept as anonymous numbers); the audit entry names no personal data."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from registry.models import AuditEntry, Role
from sheets.clients import services
from sheets.clients.models import (
    Client,
    ErasedOutcomeCount,
    ErasureReason,
    Outcome,
    Referral,
    ReferralStatus,
    SelfIntroduction,
    SharingConsent,
)
from sheets.clients.selectors import program_outcome_counts
from sheets.programs.models import ProgramStatus, SharingScope
from tests.factories import MembershipFactory
from tests.sheets.client_factories import (
    ClientFactory,
    ReferralFactory,
    SelfIntroductionFactory,
    SharingConsentFactory,
)
from tests.sheets.factories import ProgramFactory

NAME = "消されるみさきさん"
WORRY = "消される心配ごとの本文"
REFLECTION = "消されるふりかえりの本文"


@pytest.fixture
def case(world):
    """Client of agency A with two forms, a consent, and referrals to two programs (one hired);
    other clients keep the program's figures above the suppression threshold."""
    program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    other_program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    client = ClientFactory(agency=world.agency_a, preferred_name=NAME)
    introduction = SelfIntroductionFactory(client=client, worries=WORRY)
    SelfIntroductionFactory(client=client)
    SharingConsentFactory(introduction=introduction, employer=world.employer_a)
    done = {"status": ReferralStatus.DONE}
    hired = {"outcome": Outcome.HIRED, "hired_on": datetime.date(2026, 6, 1), "working_6m": True}
    ReferralFactory(client=client, program=program, introduction=introduction, reflection=REFLECTION, **done, **hired)
    ReferralFactory(client=client, program=program, **done)
    ReferralFactory(client=client, program=other_program)
    for agency in (world.agency_a, world.agency_b, world.agency_b):
        ReferralFactory(client=ClientFactory(agency=agency), program=program, **done, **hired)
    keep = ClientFactory(agency=world.agency_a, preferred_name="残るさん")
    SelfIntroductionFactory(client=keep)
    return client, program, other_program, keep


def _counts(program) -> dict[str, int]:
    return {key: count.value for key, count in program_outcome_counts(program).items()}


def _supporter_sheet_text(login, user, program) -> str:
    response = login(user).get(reverse("sheet_pdf", args=[program.uuid, "supporter"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


def test_everything_of_the_client_is_gone_and_the_counts_stay(world, case, login):
    client, program, other_program, keep = case
    before = (_counts(program), _counts(other_program))
    page_before = login(world.counselor_b).get(reverse("program_detail", args=[program.uuid])).content.decode()
    sheet_before = _supporter_sheet_text(login, world.counselor_b, program)

    response = login(world.coordinator_a).post(
        reverse("client_erase", args=[client.uuid]), {"reason": ErasureReason.CLIENT_REQUEST, "confirm": "on"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("client_list")
    # The coordinator reads the confirmation (it names counts in 件) before the colleague looks.
    assert "件" in str(next(iter(login(world.coordinator_a).get(response["Location"]).context["messages"])))
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not SelfIntroduction.objects.filter(client_id=client.pk).exists()
    assert not SharingConsent.objects.filter(introduction__client_id=client.pk).exists()
    assert not Referral.objects.filter(client_id=client.pk).exists()
    # Nothing with the client's words is left anywhere in these tables.
    assert not SelfIntroduction.objects.filter(worries=WORRY).exists()
    assert not Referral.objects.filter(reflection=REFLECTION).exists()
    # Other clients are untouched.
    assert Client.objects.filter(pk=keep.pk).exists() and keep.introductions.count() == 1
    # The programs show the same numbers, on the page and on ③.
    assert (_counts(program), _counts(other_program)) == before
    assert before[0] == {"referrals": 5, "completed": 5, "hired": 4, "working_6m": 4}
    page_after = login(world.counselor_b).get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "5件" in page_after and "4件" in page_after
    assert page_after.count("件") == page_before.count("件")
    assert _supporter_sheet_text(login, world.counselor_b, program) == sheet_before
    kept = dict(ErasedOutcomeCount.objects.filter(program=program).values_list("key", "value"))
    assert kept == {"referrals": 2, "completed": 2, "hired": 1, "working_6m": 1}


def test_the_audit_entry_names_no_personal_data(world, case):
    client, *_ = case
    identifiers = {client.code, client.preferred_name, str(client.uuid), WORRY, REFLECTION}
    services.client_erase(client=client, by=world.agency_admin_a, reason=ErasureReason.CLIENT_REQUEST)
    entry = AuditEntry.objects.get(action="client.erase")
    assert entry.agency == world.agency_a and entry.actor == world.agency_admin_a
    assert entry.target_type == "" and entry.target_id == ""
    assert entry.detail == {
        "reason": "client_request",
        "introductions": 2,
        "consents": 1,
        "referrals": 3,
        "handoffs": 0,
        "needs_checks": 0,
    }
    text = json.dumps(entry.detail, ensure_ascii=False) + entry.target_id + entry.target_type
    assert not [value for value in identifiers if value in text]


def test_counts_of_several_erased_clients_add_up(world, case):
    client, program, *_ = case
    second = ClientFactory(agency=world.agency_b)
    ReferralFactory(client=second, program=program)
    before = _counts(program)
    coordinator_b = MembershipFactory(agency=world.agency_b, role=Role.COORDINATOR).user
    services.client_erase(client=client, by=world.coordinator_a, reason=ErasureReason.CLIENT_REQUEST)
    services.client_erase(client=second, by=coordinator_b, reason=ErasureReason.SUPPORT_ENDED)
    assert _counts(program) == before
    assert ErasedOutcomeCount.objects.get(program=program, key="referrals").value == 3


def test_confirmation_page_names_the_client_and_what_goes(world, case, login):
    client, *_ = case
    body = login(world.coordinator_a).get(reverse("client_erase_confirm", args=[client.uuid])).content.decode()
    assert client.code in body and NAME in body
    assert reverse("client_erase", args=[client.uuid]) in body
    detail = login(world.coordinator_a).get(reverse("client_detail", args=[client.uuid])).content.decode()
    assert reverse("client_erase_confirm", args=[client.uuid]) in detail


def test_counselor_is_refused_and_sees_no_erase_link(world, case, login):
    client, *_ = case
    http = login(world.counselor_a)
    assert http.get(reverse("client_erase_confirm", args=[client.uuid])).status_code == 403
    response = http.post(reverse("client_erase", args=[client.uuid]), {"reason": "client_request", "confirm": "on"})
    assert response.status_code == 403
    assert (
        reverse("client_erase_confirm", args=[client.uuid])
        not in http.get(reverse("client_detail", args=[client.uuid])).content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.client_erase(client=client, by=world.counselor_a, reason=ErasureReason.CLIENT_REQUEST)
    assert Client.objects.filter(pk=client.pk).exists()


def test_another_agency_gets_404_and_nothing_changes(world, case, login):
    client, *_ = case
    coordinator_b = MembershipFactory(agency=world.agency_b, role=Role.COORDINATOR).user
    http = login(coordinator_b)
    assert http.get(reverse("client_erase_confirm", args=[client.uuid])).status_code == 404
    response = http.post(reverse("client_erase", args=[client.uuid]), {"reason": "client_request", "confirm": "on"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.client_erase(client=client, by=coordinator_b, reason=ErasureReason.CLIENT_REQUEST)
    assert Client.objects.filter(pk=client.pk).exists()
    assert not AuditEntry.objects.filter(action="client.erase").exists()


def test_get_on_the_erase_url_is_405(world, case, login):
    client, *_ = case
    assert login(world.coordinator_a).get(reverse("client_erase", args=[client.uuid])).status_code == 405
    assert Client.objects.filter(pk=client.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "client_request"}, "confirm"),
        ({"confirm": "on"}, "reason"),
        ({"reason": "x", "confirm": "on"}, "reason"),
    ],
)
def test_bad_input_shows_an_error_and_erases_nothing(world, case, login, data, field):
    client, *_ = case
    response = login(world.coordinator_a).post(reverse("client_erase", args=[client.uuid]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Client.objects.filter(pk=client.pk).exists() and Referral.objects.filter(client=client).count() == 3
    assert not ErasedOutcomeCount.objects.exists()


def test_the_service_validates_the_reason(world, case):
    client, *_ = case
    with pytest.raises(ValidationError):
        services.client_erase(client=client, by=world.coordinator_a, reason="because")
    assert Client.objects.filter(pk=client.pk).exists()
