"""Named personas used across the suite.

Region X (兵庫県, agencies A and B) and region Y (大分県, agency C): the visibility rules
are about agencies, regions and prefectures, so the personas span all three."""

from types import SimpleNamespace

import pytest

from registry.models import Role
from tests.factories import (
    AgencyFactory,
    EmployerFactory,
    MembershipFactory,
    PrefectureFactory,
    RegionFactory,
    UserFactory,
)

PERSONAS = [
    "anonymous",  # not logged in
    "platform_admin",  # the operator (県社協): superuser, no agency
    "agency_admin_a",  # manages agency A's staff (and may do what a coordinator may)
    "coordinator_a",  # visits employers for agency A; owns A's employers
    "counselor_a",  # colleague of the coordinator at agency A
    "counselor_b",  # agency B, same region X as A
    "counselor_c",  # agency C, region Y in another prefecture
]


@pytest.fixture
def world(db):
    """Agencies A and B in region X, C in region Y, one member per persona, employers."""
    region_x = RegionFactory(prefecture=PrefectureFactory(code="28"), name="伊丹市")
    region_y = RegionFactory(prefecture=PrefectureFactory(code="44"), name="玖珠町")
    agency_a = AgencyFactory(region=region_x, name="機関A")
    agency_b = AgencyFactory(region=region_x, name="機関B")
    agency_c = AgencyFactory(region=region_y, name="機関C")
    users = {
        "anonymous": None,
        "platform_admin": UserFactory(email="platform@example.jp", is_superuser=True, is_staff=True),
        "agency_admin_a": MembershipFactory(agency=agency_a, role=Role.AGENCY_ADMIN).user,
        "coordinator_a": MembershipFactory(agency=agency_a, role=Role.COORDINATOR).user,
        "counselor_a": MembershipFactory(agency=agency_a, role=Role.COUNSELOR).user,
        "counselor_b": MembershipFactory(agency=agency_b, role=Role.COUNSELOR).user,
        "counselor_c": MembershipFactory(agency=agency_c, role=Role.COUNSELOR).user,
    }
    return SimpleNamespace(
        region_x=region_x,
        region_y=region_y,
        agency_a=agency_a,
        agency_b=agency_b,
        agency_c=agency_c,
        users=users,
        employer_a=EmployerFactory(owner=agency_a, name="有限会社みどり紙工"),
        employer_a_archived=EmployerFactory(owner=agency_a, name="閉店した商店", is_active=False),
        employer_c=EmployerFactory(owner=agency_c, name="玖珠ねぎ生産組合"),
        **users,
    )


@pytest.fixture
def login(client):
    """login(user) logs the test client in (None stays anonymous) and returns it."""

    def _login(user):
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The production hasher is slow on purpose; tests hash dozens of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _empty_cache_at_start(django_db_setup):
    """A Redis cache (REDIS_URL) outlives test runs: each process starts from an empty one
    (its own Redis database, tests/env.py). The local-memory cache starts empty anyway."""
    from django.core.cache import cache

    cache.clear()


def pytest_configure(config):
    # The controlling process names the figures file; pytest-xdist workers inherit it.
    if not hasattr(config, "workerinput"):
        import os
        import tempfile

        handle, path = tempfile.mkstemp(prefix="figures-", suffix=".jsonl")
        os.close(handle)
        os.environ["FIGURES_FILE"] = path


def pytest_terminal_summary(terminalreporter):
    from tests.figures import totals

    figures = totals()
    if figures:
        terminalreporter.section("figures")
        for name, value in sorted(figures.items()):
            terminalreporter.write_line(f"{name}: {value}")
