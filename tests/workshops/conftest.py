from types import SimpleNamespace

import pytest

from registry.models import Role
from tests.factories import MembershipFactory
from tests.workshops.factories import CardFactory, SeriesFactory, SessionFactory


@pytest.fixture
def ws(world):
    """A series of agency A with agency B participating, an open session with two cards, and
    a coordinator of B (the participating agency's coordinator)."""
    series = SeriesFactory(organiser=world.agency_a, participants=[world.agency_b], title="川西ワークショップ")
    session = SessionFactory(series=series, number=1)
    return SimpleNamespace(
        series=series,
        session=session,
        card1=CardFactory(session=session, theme="needs", text="長くひきこもっている人", votes=2, table="A"),
        card2=CardFactory(session=session, theme="needs", text="ひきこもりが長い人", votes=1, table="A"),
        coordinator_b=MembershipFactory(agency=world.agency_b, role=Role.COORDINATOR).user,
        coordinator_c=MembershipFactory(agency=world.agency_c, role=Role.COORDINATOR).user,
    )
