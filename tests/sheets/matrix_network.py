"""Permission-matrix cases for つなぎ: needs checks (the client's agency only) and hand-offs
(the sending agency A and the receiving agency B only; C — a third agency — and the platform
admin, who acts for no agency, get 404)."""

import datetime

from django.urls import reverse

from sheets.network.models import HandoffStatus
from tests.matrix_support import LOGIN, Case
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory
from tests.sheets.network_factories import HandoffFactory, NeedsCheckFactory

NOBODY = "00000000-0000-0000-0000-000000000000"
A_CLIENT = {"anonymous": LOGIN, "platform_admin": 404, "counselor_b": 404, "counselor_c": 404, "*": 200}
A_AND_B = {"anonymous": LOGIN, "platform_admin": 404, "counselor_c": 404, "*": 200}
# Answers are the receiver's (B): the sender's staff 403, everyone else 404.
RECEIVER_ANSWERS = {"anonymous": LOGIN, "platform_admin": 404, "counselor_c": 404, "counselor_b": 302, "*": 403}
SENDER_WITHDRAWS = {"anonymous": LOGIN, "platform_admin": 404, "counselor_c": 404, "counselor_b": 403, "*": 302}
POST_ONLY = {"*": 405}


def extend_world(world) -> None:
    world.network_client = ClientFactory(agency=world.agency_a, preferred_name="つなぎのさん")
    world.network_introduction = SelfIntroductionFactory(client=world.network_client)
    world.needs_check_a = NeedsCheckFactory(client=world.network_client)
    world.handoff_ab = HandoffFactory(
        client=world.network_client,
        to_agency=world.agency_b,
        introduction=world.network_introduction,
        items=["interests"],
    )
    world.handoff_ab_accepted = HandoffFactory(
        client=world.network_client,
        to_agency=world.agency_b,
        introduction=world.network_introduction,
        status=HandoffStatus.ACCEPTED,
        accepted_on=datetime.date.today(),
    )


def check_url(name):
    return lambda w: reverse(name, args=[w.network_client.uuid, w.needs_check_a.uuid])


def handoff_url(name, attr="handoff_ab"):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid])


MATRIX = {
    "needs_check_create": [
        Case("GET", lambda w: reverse("needs_check_create", args=[w.network_client.uuid]), A_CLIENT),
        Case(
            "POST",
            lambda w: reverse("needs_check_create", args=[w.network_client.uuid]),
            A_CLIENT | {"agency_admin_a": 302, "coordinator_a": 302, "counselor_a": 302},
            data=lambda w: {"checked_on": datetime.date.today().isoformat(), "wish_to_work": "now"},
        ),
    ],
    "needs_check_detail": [
        Case("GET", check_url("needs_check_detail"), A_CLIENT),
        Case(
            "GET",
            lambda w: reverse("needs_check_detail", args=[w.network_client.uuid, NOBODY]),
            {"anonymous": LOGIN, "*": 404},
        ),
    ],
    "needs_check_edit": [Case("GET", check_url("needs_check_edit"), A_CLIENT)],
    "needs_check_pdf": [Case("GET", check_url("needs_check_pdf"), A_CLIENT)],
    "handoff_create": [Case("GET", lambda w: reverse("handoff_create", args=[w.network_client.uuid]), A_CLIENT)],
    "handoff_list": [
        Case("GET", lambda w: reverse("handoff_list"), {"anonymous": LOGIN, "platform_admin": 403, "*": 200})
    ],
    "handoff_detail": [
        Case("GET", handoff_url("handoff_detail"), A_AND_B),
        Case("GET", handoff_url("handoff_detail", "handoff_ab_accepted"), A_AND_B),
        Case("GET", lambda w: reverse("handoff_detail", args=[NOBODY]), {"anonymous": LOGIN, "*": 404}),
    ],
    "handoff_accept": [
        Case("POST", handoff_url("handoff_accept"), RECEIVER_ANSWERS),
        Case("GET", handoff_url("handoff_accept"), POST_ONLY),
    ],
    "handoff_decline": [
        Case("POST", handoff_url("handoff_decline"), RECEIVER_ANSWERS, data=lambda w: {"reason": "定員のため"}),
        Case("GET", handoff_url("handoff_decline"), POST_ONLY),
    ],
    "handoff_met": [
        Case(
            "POST",
            handoff_url("handoff_met", "handoff_ab_accepted"),
            RECEIVER_ANSWERS,
            data=lambda w: {"met_on": datetime.date.today().isoformat()},
        ),
        Case("GET", handoff_url("handoff_met"), POST_ONLY),
    ],
    "handoff_withdraw": [
        Case("POST", handoff_url("handoff_withdraw"), SENDER_WITHDRAWS, data=lambda w: {"confirmed": "1"}),
        Case("GET", handoff_url("handoff_withdraw"), POST_ONLY),
    ],
}

AGENCY_PROFILE_POST = {
    "support_kinds": ["life_consultation"],
    "serves": "市内の方",
    "hours": "平日",
    "accepts_handoffs": "on",
}
MATRIX |= {
    # The directory: every agency of the prefecture (A, B); C is in another prefecture.
    "agency_directory": [Case("GET", lambda w: reverse("agency_directory"), {"anonymous": LOGIN, "*": 200})],
    "agency_directory_pdf": [Case("GET", lambda w: reverse("agency_directory_pdf"), {"anonymous": LOGIN, "*": 200})],
    "agency_detail": [
        Case(
            "GET",
            lambda w: reverse("agency_detail", args=[w.agency_a.uuid]),
            {"anonymous": LOGIN, "counselor_c": 404, "*": 200},
        ),
        Case(
            "GET",
            lambda w: reverse("agency_detail", args=[w.agency_c.uuid]),
            {"anonymous": LOGIN, "platform_admin": 200, "counselor_c": 200, "*": 404},
        ),
    ],
    "agency_profile_edit": [
        Case("GET", lambda w: reverse("agency_profile_edit"), {"anonymous": LOGIN, "agency_admin_a": 200, "*": 403}),
        Case(
            "POST",
            lambda w: reverse("agency_profile_edit"),
            {"anonymous": LOGIN, "agency_admin_a": 302, "*": 403},
            data=lambda w: AGENCY_PROFILE_POST,
        ),
    ],
}


def _incoming(w):
    """A referral by agency B's counselor to agency A's program (scheduled)."""
    if not hasattr(w, "incoming_referral"):
        from sheets.programs.models import ProgramStatus, SharingScope
        from tests.sheets.client_factories import ReferralFactory
        from tests.sheets.factories import ProgramFactory

        program = ProgramFactory(
            employer=w.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
        w.incoming_referral = ReferralFactory(
            client=ClientFactory(agency=w.agency_b),
            program=program,
            status="scheduled",
            starts_on=datetime.date.today(),
        )
    return w.incoming_referral


MATRIX |= {
    "referral_notices": [
        Case("GET", lambda w: reverse("referral_notices"), {"anonymous": LOGIN, "platform_admin": 403, "*": 200})
    ],
    "referral_notice_confirm": [
        # A (the program's agency) confirms; B (the referrer) and C see no notice: 404.
        Case(
            "POST",
            lambda w: reverse("referral_notice_confirm", args=[_incoming(w).uuid]),
            {"anonymous": LOGIN, "platform_admin": 404, "counselor_b": 404, "counselor_c": 404, "*": 302},
        ),
        Case("GET", lambda w: reverse("referral_notice_confirm", args=[_incoming(w).uuid]), POST_ONLY),
    ],
}
