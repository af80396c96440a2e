"""schemathesis against /api/schema/, in process (the Django WSGI app, the test database): every
operation with generated valid and invalid parameters, every built-in check (server errors,
status codes, content types, response headers and bodies against the schema, invalid input
rejected, valid input accepted, authentication enforced, unsupported methods → 405). Must
report 0 failures; the number of generated cases is printed at the end of the run (figures)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from registry.api_tokens import PREFIX_LENGTH, hash_secret, new_secret
from registry.models import ApiToken
from sheets.programs.models import SharingScope
from sheets.vocabulary import EngagementType
from tests.api.factories import published
from tests.factories import EmployerFactory
from tests.figures import count
from tests.sheets.factories import ProgramFactory, TimetableRowFactory


@pytest.fixture
def api_data(world, settings):
    """Published programs of every engagement type, a draft, and agency A's token."""
    settings.API_RATE_LIMIT = (1_000_000, 3600)  # the rate limit has its own test
    employer_b = EmployerFactory(owner=world.agency_b, name="株式会社びー農園")
    for i, kind in enumerate(EngagementType.values * 2):
        program = published(
            world.employer_a if i % 2 else employer_b,
            title=f"体験{i}",
            engagement_type=kind,
            days=["mon", "tue"],
            scope=SharingScope.PREFECTURE if i % 3 else SharingScope.REGION,
            is_paid=bool(i % 2),
        )
        TimetableRowFactory(program=program)
    ProgramFactory(employer=world.employer_a, title="下書き")
    published(world.employer_c, title="玖珠の見学")
    # The token schemathesis sends (it reads it when collecting, before any database exists).
    ApiToken.objects.create(
        agency=world.agency_a, name="schemathesis", prefix=SECRET[:PREFIX_LENGTH], key_hash=hash_secret(SECRET)
    )
    # The real WSGI handler closes "old" connections around each request; inside the test's
    # transaction that would close the test database's connection (as Django's test client
    # knows, and avoids the same way).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Loaded when the module is collected: the document needs no database (it is built from the
# filters and the models' fields). Not `schemathesis.pytest.from_fixture`: its lazy loader
# does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
SECRET = new_secret()


@schema.auth(refresh_interval=None)
class AgencyToken:
    """The test's token, through schemathesis' auth hook: it leaves the header out of the cases
    that test a missing Authorization header (those must get 401)."""

    def get(self, case, context) -> str:
        return SECRET

    def set(self, case, data, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


# The data fixture is read-only for the API: sharing it across generated cases is intended.
@schema.parametrize()
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_conforms_to_its_schema(case, api_data):
    count("API schemathesis cases")
    case.call_and_validate()
