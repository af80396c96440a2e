from django.test import RequestFactory

from registry.models import ACTING_AGENCY_SESSION_KEY, Employer, Role, acting_membership
from tests.factories import AgencyFactory, MembershipFactory


def test_employers_visible_to_each_persona(world):
    def visible(persona):
        return set(Employer.objects.for_user(world.users[persona]).values_list("name", flat=True))

    own = {"有限会社みどり紙工", "閉店した商店"}
    assert visible("coordinator_a") == own
    assert visible("counselor_a") == own
    # Same region: active employers only; archived ones stay with their owner.
    assert visible("counselor_b") == {"有限会社みどり紙工"}
    assert visible("counselor_c") == {"玖珠ねぎ生産組合"}
    assert visible("platform_admin") == own | {"玖珠ねぎ生産組合"}


def test_deactivated_membership_sees_nothing(world):
    membership = world.counselor_a.memberships.get()
    membership.is_active = False
    membership.save()
    user = type(world.counselor_a).objects.get(pk=world.counselor_a.pk)
    assert acting_membership(user) is None
    assert not Employer.objects.for_user(user).exists()


def test_acting_agency_follows_the_session_choice(world, client):
    other = AgencyFactory(region=world.region_y, name="機関D")
    MembershipFactory(user=world.counselor_a, agency=other, role=Role.COORDINATOR)
    user = type(world.counselor_a).objects.get(pk=world.counselor_a.pk)
    user.acting_agency_id = other.pk
    assert acting_membership(user).agency == other

    client.force_login(world.counselor_a)
    response = client.post("/agency/switch/", {"agency": str(other.uuid)})
    assert response.status_code == 302
    assert client.session[ACTING_AGENCY_SESSION_KEY] == other.pk
    # Now the counselor works for D (region Y): C's employer is visible, A's are not.
    page = client.get("/employers/")
    assert "玖珠ねぎ生産組合" in page.content.decode()
    assert "有限会社みどり紙工" not in page.content.decode()


def test_switching_to_an_agency_one_does_not_belong_to_is_refused(world, client):
    client.force_login(world.counselor_a)
    response = client.post("/agency/switch/", {"agency": str(world.agency_c.uuid)})
    assert response.status_code == 404
    assert client.session.get(ACTING_AGENCY_SESSION_KEY) in (None, world.agency_a.id)  # never agency C


def test_request_factory_user_without_session_uses_first_membership(world):
    request = RequestFactory().get("/")
    request.user = world.coordinator_a
    assert acting_membership(request.user).agency == world.agency_a
