"""Permission-matrix cases for sending an invitation again and cancelling it. Loaded by
tests/test_permission_matrix.py: agency A's admin manages agency A's open invitations only."""

from django.urls import reverse

from registry.models import Role
from registry.services import staff_invite
from tests.factories import MembershipFactory
from tests.matrix_support import LOGIN, Case

ADMIN_A_302 = {"anonymous": LOGIN, "agency_admin_a": 302, "*": 403}
ADMIN_A_404 = {"anonymous": LOGIN, "agency_admin_a": 404, "*": 403}


def extend_world(world):
    """An open invitation of agency A (a new account) and one of agency B."""
    world.invited_a = staff_invite(
        agency=world.agency_a,
        by=world.agency_admin_a,
        email="invited-a@example.jp",
        name="招待 A",
        name_kana="",
        role="counselor",
    ).user
    admin_b = MembershipFactory(agency=world.agency_b, role=Role.AGENCY_ADMIN).user
    world.invited_b = staff_invite(
        agency=world.agency_b, by=admin_b, email="invited-b@example.jp", name="招待 B", name_kana="", role="counselor"
    ).user


def invitation_url(name, attr):
    return lambda w: reverse(name, args=[getattr(w, attr).uuid])


MATRIX = {
    "staff_invitation_resend": [
        Case("POST", invitation_url("staff_invitation_resend", "invited_a"), ADMIN_A_302),
        # Another agency's invitation, and a member who is no invitation: not the admin's business.
        Case("POST", invitation_url("staff_invitation_resend", "invited_b"), ADMIN_A_404),
        Case("POST", invitation_url("staff_invitation_resend", "counselor_a"), ADMIN_A_404),
        Case("GET", invitation_url("staff_invitation_resend", "invited_a"), {"*": 405}),
    ],
    "staff_invitation_cancel": [
        # The button first shows what will happen (200); the confirmation page's button cancels.
        Case("POST", invitation_url("staff_invitation_cancel", "invited_a"), ADMIN_A_302 | {"agency_admin_a": 200}),
        Case(
            "POST",
            invitation_url("staff_invitation_cancel", "invited_a"),
            ADMIN_A_302,
            data=lambda w: {"confirmed": "1"},
        ),
        Case(
            "POST",
            invitation_url("staff_invitation_cancel", "invited_b"),
            ADMIN_A_404,
            data=lambda w: {"confirmed": "1"},
        ),
        Case("GET", invitation_url("staff_invitation_cancel", "invited_a"), {"*": 405}),
    ],
}
