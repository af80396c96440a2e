import pytest
from django.core.exceptions import ValidationError

from registry import services
from registry.models import AuditEntry, Employer, Membership, Role
from tests.factories import MembershipFactory


def test_employer_update_refuses_a_stale_version_and_keeps_the_newer_data(world):
    employer = world.employer_a
    opened_at = employer.version
    services.employer_update(employer=employer, by=world.coordinator_a, version=opened_at, description="新しい説明")
    with pytest.raises(services.StaleEditError):
        services.employer_update(employer=employer, by=world.counselor_a, version=opened_at, description="古い画面から")
    employer.refresh_from_db()
    assert employer.description == "新しい説明"
    assert employer.version == opened_at + 1


def test_employer_create_validates_and_audits(world):
    with pytest.raises(ValidationError) as exc:
        services.employer_create(
            owner=world.agency_a, by=world.coordinator_a, name="", name_kana="カナ", kind="company", industry="E"
        )
    assert "name" in exc.value.message_dict
    assert not AuditEntry.objects.filter(action="employer.create").exists()

    employer = services.employer_create(
        owner=world.agency_a,
        by=world.coordinator_a,
        name="道の駅 童話の里くす",
        name_kana="みちのえき",
        kind="organisation",
        industry="I",
        region=world.region_x,
        address="玖珠町",
    )
    entry = AuditEntry.objects.get(action="employer.create")
    assert (entry.actor, entry.agency, entry.target_id) == (world.coordinator_a, world.agency_a, str(employer.uuid))


def test_archive_and_restore_keep_the_employer(world):
    services.employer_set_active(employer=world.employer_a, by=world.coordinator_a, active=False)
    assert Employer.objects.get(pk=world.employer_a.pk).is_active is False
    services.employer_set_active(employer=world.employer_a, by=world.coordinator_a, active=True)
    assert Employer.objects.get(pk=world.employer_a.pk).is_active is True


def test_invite_creates_an_account_without_password_and_a_working_one_time_link(world):
    invitation = services.staff_invite(
        agency=world.agency_a,
        by=world.agency_admin_a,
        email="New.Staff@Example.JP",
        name="新人 職員",
        name_kana="しんじん しょくいん",
        role=Role.COUNSELOR,
    )
    user = invitation.membership.user
    assert invitation.created_user
    assert user.email == "new.staff@example.jp"
    assert not user.has_usable_password()
    token = services.invitation_token(user)
    assert services.invitation_user(token) == user
    user.set_password("a-long-new-password-1")
    user.save()
    assert services.invitation_user(token) is None  # used once
    assert services.invitation_user(token[:-2] + "xx") is None  # forged


def test_invitation_expires(world, settings, monkeypatch):
    invitation = services.staff_invite(
        agency=world.agency_a,
        by=world.agency_admin_a,
        email="late@example.jp",
        name="遅刻",
        name_kana="",
        role="counselor",
    )
    token = services.invitation_token(invitation.membership.user)
    settings.INVITATION_VALID_DAYS = 7
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 8 * 24 * 3600)
    assert services.invitation_user(token) is None


def test_inviting_an_existing_member_twice_is_refused(world):
    with pytest.raises(ValidationError):
        services.staff_invite(
            agency=world.agency_a,
            by=world.agency_admin_a,
            email=world.counselor_a.email,
            name="x",
            name_kana="",
            role=Role.COUNSELOR,
        )


def test_inviting_an_existing_account_adds_no_membership_before_it_is_accepted(world):
    invitation = services.staff_invite(
        agency=world.agency_a,
        by=world.agency_admin_a,
        email=world.counselor_c.email,
        name="x",
        name_kana="",
        role=Role.COUNSELOR,
    )
    assert not invitation.created_user and invitation.membership is None
    assert Membership.objects.filter(user=world.counselor_c).count() == 1  # issue 23 item 2


def test_the_last_agency_admin_cannot_be_demoted_or_deactivated(world):
    admin = world.agency_admin_a.memberships.get()
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=admin, by=world.agency_admin_a, role=Role.COUNSELOR)
    with pytest.raises(ValidationError):
        services.membership_set_active(membership=admin, by=world.agency_admin_a, active=False)
    MembershipFactory(agency=world.agency_a, role=Role.AGENCY_ADMIN)
    services.membership_change_role(membership=admin, by=world.agency_admin_a, role=Role.COUNSELOR)
    admin.refresh_from_db()
    assert admin.role == Role.COUNSELOR
    assert AuditEntry.objects.filter(action="staff.role", detail__new="counselor").exists()


def test_an_invited_agency_admin_who_never_set_a_password_does_not_count_as_the_remaining_admin(world):
    admin = world.agency_admin_a.memberships.get()
    services.staff_invite(
        agency=world.agency_a,
        by=world.agency_admin_a,
        email="new.admin@example.jp",
        name="新しい管理者",
        name_kana="あたらしいかんりしゃ",
        role=Role.AGENCY_ADMIN,
    )
    with pytest.raises(ValidationError, match="ログインできる"):
        services.membership_change_role(membership=admin, by=world.agency_admin_a, role=Role.COUNSELOR)
    with pytest.raises(ValidationError, match="ログインできる"):
        services.membership_set_active(membership=admin, by=world.agency_admin_a, active=False)
    admin.refresh_from_db()
    assert admin.role == Role.AGENCY_ADMIN and admin.is_active

    # Once the invitee has set a password (accepted the invitation), they count.
    invitee = Membership.objects.get(agency=world.agency_a, user__email="new.admin@example.jp").user
    invitee.set_password("another-horse-battery-7")
    invitee.save()
    services.membership_set_active(membership=admin, by=world.agency_admin_a, active=False)
    admin.refresh_from_db()
    assert not admin.is_active
