"""Issue 23 item 2: an agency admin cannot pull an existing account into their agency. The person
accepts through a signed link (who invites, which agency) before any membership exists; they can
leave an agency; whom they work for never changes without them choosing it; the invite page
says the same for known and unknown addresses."""

import re

import pytest
from django.core import mail

from registry.models import AuditEntry, Membership, Role
from tests.factories import TEST_PASSWORD

INVITE = "/agency/staff/invite/"


def _invite(client, admin, email: str):
    client.force_login(admin)
    return client.post(
        INVITE,
        {"email": email, "name": "招待 太郎", "name_kana": "しょうたい たろう", "role": "counselor"},
        follow=True,
    )


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/(?:join|invite)/\S+/)", message.body).group(1)


def test_inviting_an_existing_account_creates_no_membership(client, world):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    assert not Membership.objects.filter(user=world.counselor_c, agency=world.agency_a).exists()
    assert "/accounts/join/" in mail.outbox[0].body and world.agency_a.name in mail.outbox[0].body


def test_the_invite_page_says_the_same_for_known_and_unknown_addresses(client, world):
    def said(email):
        html = _invite(client, world.agency_admin_a, email).content.decode()
        return re.search(r'class="messages".*?</div>\s*</div>', html, re.S).group(0).replace(email, "EMAIL")

    assert said(world.counselor_c.email) == said("brand-new@example.jp")


def test_the_invited_person_sees_who_invites_and_accepts(client, world):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    link = _link(mail.outbox[0])
    client.force_login(world.counselor_c)
    page = client.get(link).content.decode()
    assert world.agency_admin_a.name in page and world.agency_a.name in page
    response = client.post(link, {"answer": "accept"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.counselor_c, agency=world.agency_a)
    assert membership.role == Role.COUNSELOR and membership.invited_by == world.agency_admin_a
    # The link works once.
    assert client.get(link).status_code == 404
    # Accepting did not change whom they work for.
    assert client.get("/").context["acting_membership"].agency == world.agency_c


def test_declining_creates_nothing_and_ends_the_link(client, world):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    link = _link(mail.outbox[0])
    client.force_login(world.counselor_c)
    client.post(link, {"answer": "decline"})
    assert not Membership.objects.filter(user=world.counselor_c, agency=world.agency_a).exists()
    assert client.post(link, {"answer": "accept"}).status_code == 404


@pytest.mark.parametrize("who", ["counselor_b", "agency_admin_a", None])
def test_only_the_invited_person_can_use_the_link(client, world, who):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    link = _link(mail.outbox[0])
    client.logout()
    if who:
        client.force_login(world.users[who])
        assert client.post(link, {"answer": "accept"}).status_code == 404
    else:
        assert client.get(link).status_code == 302  # to the login page
    assert not Membership.objects.filter(user=world.counselor_c, agency=world.agency_a).exists()


def test_a_forged_or_altered_link_is_refused(client, world):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    link = _link(mail.outbox[0])
    client.force_login(world.counselor_c)
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_a_person_leaves_an_agency(client, world):
    _invite(client, world.agency_admin_a, world.counselor_c.email)
    link = _link(mail.outbox[0])
    client.force_login(world.counselor_c)
    client.post(link, {"answer": "accept"})
    membership = Membership.objects.get(user=world.counselor_c, agency=world.agency_a)
    page = client.get("/accounts/agencies/").content.decode()
    assert world.agency_a.name in page and world.agency_c.name in page
    assert client.post(f"/accounts/agencies/{membership.uuid}/leave/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="staff.left", actor=world.counselor_c).exists()
    assert client.get(link).status_code == 404  # the old link does not bring them back


def test_nobody_leaves_for_someone_else(client, world):
    other = Membership.objects.get(user=world.counselor_a)
    client.force_login(world.counselor_b)
    assert client.post(f"/accounts/agencies/{other.uuid}/leave/").status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_the_last_agency_admin_cannot_leave(client, world):
    membership = Membership.objects.get(user=world.agency_admin_a)
    client.force_login(world.agency_admin_a)
    client.post(f"/accounts/agencies/{membership.uuid}/leave/")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_new_session_starts_with_the_agency_last_worked_for(client, world):
    """The account-capture path: a second membership (here of an agency earlier in the order)
    must not become the acting agency at the next login."""
    user = world.counselor_c
    client.force_login(user)
    assert client.get("/").context["acting_membership"].agency == world.agency_c
    Membership.objects.create(user=user, agency=world.agency_a, role=Role.COUNSELOR)
    client.logout()
    client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert client.get("/").context["acting_membership"].agency == world.agency_c


def test_a_switch_the_user_did_not_choose_is_shown(client, world):
    user = world.counselor_c
    second = Membership.objects.create(user=user, agency=world.agency_a, role=Role.COUNSELOR)
    client.force_login(user)
    client.post("/agency/switch/", {"agency": str(world.agency_a.uuid)})
    assert client.get("/").context["acting_membership"] == second
    second.is_active = False
    second.save(update_fields=["is_active"])
    html = client.get("/").content.decode()
    assert world.agency_c.name in html and "使えなくなった" in html
