"""An open invitation can be sent again (a fresh link; earlier links stop working) or cancelled
(the link stops working, the person is not a member, an account made only by the invitation is
closed but kept for the audit log, an existing account keeps its account)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.timezone import localtime

from registry import services
from registry.audit_labels import action_label
from registry.models import AuditEntry, Membership, Role, User
from registry.selectors import pending_invitations
from tests.factories import TEST_PASSWORD, MembershipFactory

INVITE = "/agency/staff/invite/"
NEW = "new-person@example.jp"


def _invite(client, admin, email: str, role: str = "counselor"):
    client.force_login(admin)
    client.post(INVITE, {"email": email, "name": "招待 花子", "name_kana": "しょうたい はなこ", "role": role})
    return _link(mail.outbox[-1])


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/(?:join|invite)/\S+/)", message.body).group(1)


def _resend(client, user):
    return client.post(f"/agency/staff/invitations/{user.uuid}/resend/")


def _cancel(client, user, **data):
    return client.post(f"/agency/staff/invitations/{user.uuid}/cancel/", data)


def _can_log_in(client, email, password) -> bool:
    client.logout()
    return client.post("/accounts/login/", {"username": email, "password": password}).status_code == 302


def _set_password(client, link):
    client.logout()
    return client.post(link, {"new_password1": "kusu-negi-2026", "new_password2": "kusu-negi-2026"})


def test_the_staff_page_shows_an_open_invitation_with_when_it_was_sent_and_expires(client, world, settings):
    settings.INVITATION_VALID_DAYS = 3
    _invite(client, world.agency_admin_a, NEW)
    response = client.get("/agency/staff/")
    [invitation] = response.context["invitations"]
    assert invitation.user.email == NEW and invitation.role == Role.COUNSELOR
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)
    assert not invitation.is_expired
    html = response.content.decode()
    section = html.split('id="invitations-title"', 1)[1].split("</section>", 1)[0]
    assert NEW in section and "招待中" in section
    assert localtime(invitation.expires_at).strftime("%Y年%-m月%-d日") in section  # as the page shows it: local time
    # Shown once: not also as a member in the staff table.
    assert NEW not in html.split("</section>", 1)[1].split("</table>", 1)[0]


def test_an_expired_invitation_says_so_and_can_be_sent_again(client, world, settings):
    _invite(client, world.agency_admin_a, NEW)
    settings.INVITATION_VALID_DAYS = 0  # every link sent so far has expired
    response = client.get("/agency/staff/")
    [invitation] = response.context["invitations"]
    assert invitation.is_expired and "期限切れ" in response.content.decode()
    settings.INVITATION_VALID_DAYS = 7
    _resend(client, invitation.user)
    [invitation] = client.get("/agency/staff/").context["invitations"]
    assert not invitation.is_expired


def test_both_kinds_of_invitation_are_listed_alike(client, world):
    """An existing account's invitation is listed too, by the address the admin typed: the page
    must not tell who already had an account."""
    _invite(client, world.agency_admin_a, NEW)
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    invitations = client.get("/agency/staff/").context["invitations"]
    assert {i.user.email for i in invitations} == {NEW, world.counselor_c.email}
    html = client.get("/agency/staff/").content.decode()
    assert world.counselor_c.name not in html


def test_sending_again_mails_a_fresh_link_and_the_old_one_stops_working(client, world):
    old = _invite(client, world.agency_admin_a, NEW)
    person = User.objects.get(email=NEW)
    response = _resend(client, person)
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == [NEW]
    new = _link(mail.outbox[-1])
    assert new != old
    assert AuditEntry.objects.filter(action="staff.invitation.resend", actor=world.agency_admin_a).exists()
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert _set_password(client, new).status_code == 302
    assert _can_log_in(client, NEW, "kusu-negi-2026")


def test_sending_again_to_an_existing_account_ends_the_earlier_link(client, world):
    old = _invite(client, world.agency_admin_a, world.counselor_c.email)
    _resend(client, world.counselor_c)
    new = _link(mail.outbox[-1])
    client.force_login(world.counselor_c)
    assert client.get(old).status_code == 404
    client.post(new, {"answer": "accept"})
    assert Membership.objects.filter(user=world.counselor_c, agency=world.agency_a).exists()


def test_cancelling_asks_first_then_ends_the_link_and_the_account_made_for_it(client, world):
    link = _invite(client, world.agency_admin_a, NEW)
    person = User.objects.get(email=NEW)
    asked = _cancel(client, person)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "招待を取り消しますか" in page and 'name="confirmed" value="1"' in page
    assert Membership.objects.filter(user=person, agency=world.agency_a).exists()  # nothing changed yet

    assert _cancel(client, person, confirmed="1").status_code == 302
    assert not Membership.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()  # kept for the audit log
    assert AuditEntry.objects.filter(action="staff.invitation.cancel", target_id=str(person.uuid)).exists()
    assert client.get("/agency/staff/").context["invitations"] == []
    client.logout()
    assert client.get(link).status_code == 404
    assert _set_password(client, link).status_code == 404
    assert not _can_log_in(client, NEW, "kusu-negi-2026")


def test_cancelling_an_existing_accounts_invitation_ends_only_the_invitation(client, world):
    link = _invite(client, world.agency_admin_a, world.counselor_c.email)
    _cancel(client, world.counselor_c, confirmed="1")
    client.logout()
    assert _can_log_in(client, world.counselor_c.email, TEST_PASSWORD)
    assert client.get(link).status_code == 404
    assert client.post(link, {"answer": "accept"}).status_code == 404
    assert not Membership.objects.filter(user=world.counselor_c, agency=world.agency_a).exists()
    assert Membership.objects.get(user=world.counselor_c).agency == world.agency_c


def test_a_cancelled_address_can_be_invited_again(client, world):
    _invite(client, world.agency_admin_a, NEW)
    person = User.objects.get(email=NEW)
    _cancel(client, person, confirmed="1")
    link = _invite(client, world.agency_admin_a, NEW, role="coordinator")
    assert "/accounts/invite/" in link  # a password link again, for the same (reopened) account
    assert _set_password(client, link).status_code == 302
    assert _can_log_in(client, NEW, "kusu-negi-2026")
    assert Membership.objects.get(user=person).role == Role.COORDINATOR


def test_an_invitation_answered_meanwhile_is_not_cancelled(client, world):
    link = _invite(client, world.agency_admin_a, NEW)
    [invitation] = pending_invitations(world.agency_a)
    _set_password(client, link)
    with pytest.raises(ValidationError):
        services.invitation_cancel(invitation=invitation, by=world.agency_admin_a)
    assert User.objects.get(email=NEW).is_active
    assert Membership.objects.filter(user__email=NEW, agency=world.agency_a).exists()


def test_another_agencys_invitation_is_not_found(client, world):
    admin_b = MembershipFactory(agency=world.agency_b, role=Role.AGENCY_ADMIN).user
    _invite(client, admin_b, NEW)
    person = User.objects.get(email=NEW)
    client.force_login(world.agency_admin_a)
    assert _resend(client, person).status_code == 404
    assert _cancel(client, person, confirmed="1").status_code == 404
    assert _cancel(client, world.counselor_a, confirmed="1").status_code == 404  # a member, no invitation
    assert person.memberships.get().agency == world.agency_b


@pytest.mark.parametrize("who", ["counselor_a", "coordinator_a"])
def test_only_agency_admins_resend_or_cancel(client, world, who):
    _invite(client, world.agency_admin_a, NEW)
    person = User.objects.get(email=NEW)
    client.force_login(world.users[who])
    assert _resend(client, person).status_code == 403
    assert _cancel(client, person, confirmed="1").status_code == 403
    assert len(mail.outbox) == 1 and Membership.objects.filter(user=person).exists()


def test_cancelling_an_invited_admin_keeps_the_last_admin_rules(client, world):
    """An invited admin never counted as the one who can log in; cancelling them changes nothing
    for the agency's admin, who still cannot be deactivated."""
    _invite(client, world.agency_admin_a, NEW, role="agency_admin")
    own = world.agency_admin_a.memberships.get()
    client.post(f"/agency/staff/{own.uuid}/active/", {"active": "0", "confirmed": "1"})
    assert Membership.objects.get(pk=own.pk).is_active
    _cancel(client, User.objects.get(email=NEW), confirmed="1")
    client.post(f"/agency/staff/{own.uuid}/active/", {"active": "0", "confirmed": "1"})
    assert Membership.objects.get(pk=own.pk).is_active


def test_the_audit_log_names_the_new_actions():
    assert action_label("staff.invitation.resend") != "staff.invitation.resend"
    assert action_label("staff.invitation.cancel") != "staff.invitation.cancel"
