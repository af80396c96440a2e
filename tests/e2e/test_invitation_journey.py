"""Issue 23 item 2 in a browser: an existing account's invitation names who invites and for
which agency; accepting keeps the agency worked for; the person can leave (axe: 0 violations)."""

from registry.models import Membership, Role
from registry.services import membership_invitation_token, staff_invite
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, MembershipFactory


def test_accept_then_leave(page, transactional_db, settings):
    admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    inviting = admin.memberships.get().agency
    person = MembershipFactory(role=Role.COUNSELOR, agency=AgencyFactory(name="玖珠町社会福祉協議会")).user
    own = person.memberships.get().agency

    invitation = staff_invite(agency=inviting, by=admin, email=person.email, name="x", name_kana="", role="counselor")
    link = "/accounts/join/" + membership_invitation_token(invitation) + "/"

    log_in(page, person)
    page.goto(link)
    assert page.get_by_text(admin.name).first.is_visible()
    assert page.get_by_text(inviting.name).first.is_visible()
    assert_accessible(page, "membership_invitation")
    page.get_by_role("button", name="承諾する").click()
    page.wait_for_url("**/accounts/agencies/")
    assert Membership.objects.filter(user=person, agency=inviting).exists()
    assert page.get_by_role("cell", name=own.name, exact=True).is_visible()
    assert page.get_by_role("cell", name=inviting.name, exact=True).is_visible()
    assert_accessible(page, "my_agencies")
    page.get_by_role("button", name=f"{inviting.name} から抜ける").click()
    page.wait_for_url("**/accounts/agencies/")
    assert not Membership.objects.filter(user=person, agency=inviting).exists()
