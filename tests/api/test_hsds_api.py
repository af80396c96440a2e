"""The HSDS 3.0 API at /api/hsds/, checked against Open Referral's **official** OpenAPI
(`sheets/interop/hsds_spec/openapi.json`) with schemathesis, in process, 0 failures.

The document is the one the API serves (sheets/interop/api/hsds_openapi.py): the official one
made to work offline — its record schemas in its components, its server /api/hsds, the
service_at_location answer named right, the error answers documented. Checks: no server error,
JSON content type, documented status codes, and every body valid against its schema. Examples
are limited to keep the suite's time modest."""

import copy
import datetime
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from registry.api_tokens import PREFIX_LENGTH, hash_secret, new_secret
from registry.models import ApiToken
from sheets.interop import hsds
from sheets.interop.api.hsds_openapi import served_document
from sheets.programs.models import Program, SharingScope
from sheets.vocabulary import EngagementType
from tests.api.factories import published
from tests.factories import EmployerFactory
from tests.figures import count

SECRET = new_secret()
EXAMPLES_PER_OPERATION = 25


schema = schemathesis.openapi.from_dict(served_document())
schema.app = get_wsgi_application()


@schema.auth(refresh_interval=None)
class AgencyToken:
    def get(self, case, context) -> str:
        return SECRET

    def set(self, case, data, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def hsds_data(world, settings):
    settings.API_RATE_LIMIT = (1_000_000, 3600)
    employer_b = EmployerFactory(owner=world.agency_b, name="株式会社びー農園", postal_code="664-0851")
    world.employer_a.postal_code = "664-0845"
    world.employer_a.save()
    for i, kind in enumerate(EngagementType.values):
        published(
            world.employer_a if i % 2 else employer_b,
            title=f"体験{i}",
            engagement_type=kind,
            days=["mon"],
            scope=SharingScope.PREFECTURE if i % 3 else SharingScope.REGION,
            is_paid=bool(i % 2),
        )
    published(world.employer_c, title="玖珠の見学")  # another prefecture: never seen by A's token
    ApiToken.objects.create(
        agency=world.agency_a, name="hsds", prefix=SECRET[:PREFIX_LENGTH], key_hash=hash_secret(SECRET)
    )
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield world
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


CHECKS = (
    "not_a_server_error",
    "content_type_conformance",
    "status_code_conformance",
    "response_schema_conformance",
)


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, suppress_health_check=list(HealthCheck), deadline=None)
def test_hsds_api_conforms_to_the_official_openapi(case, hsds_data):
    from schemathesis import checks as core_checks
    from schemathesis.specs.openapi import checks as openapi_checks

    count("HSDS API schemathesis cases")
    available = {f.__name__: f for f in (core_checks.not_a_server_error,)} | {
        name: getattr(openapi_checks, name) for name in CHECKS[1:]
    }
    case.call_and_validate(checks=[available[name] for name in CHECKS])


def _get(client, path: str, **params):
    return client.get(path, params, headers={"Authorization": f"Bearer {SECRET}"})


@pytest.mark.django_db
def test_lists_are_paged_and_show_only_what_the_token_may_see(hsds_data, client):
    first = _get(client, "/api/hsds/services", per_page=2).json()
    assert first["total_items"] == len(EngagementType.values) and first["size"] == 2
    assert first["first_page"] and not first["last_page"] and first["total_pages"] == 2
    titles = {s["name"] for s in first["contents"]} | {
        s["name"] for s in _get(client, "/api/hsds/services", per_page=2, page=2).json()["contents"]
    }
    assert "玖珠の見学" not in titles
    service = _get(client, f"/api/hsds/services/{first['contents'][0]['id']}").json()
    assert (service["organization"]["id"] and service["contacts"][0]["name"] == "機関A") or service["contacts"]
    term = hsds.engagement_term(EngagementType.VISIT)["id"]
    visits = _get(client, "/api/hsds/services", taxonomy_term_id=term).json()
    assert visits["total_items"] == 1
    assert _get(client, "/api/hsds/organizations").json()["total_items"] == 2
    assert _get(client, "/api/hsds/taxonomies").json()["contents"][0]["uri"] == hsds.TAXONOMY_URI
    assert _get(client, "/api/hsds/taxonomy_terms").json()["total_items"] == len(EngagementType.values)
    root = _get(client, "/api/hsds/").json()
    assert root["version"] == "3.0.0" and root["openapi_url"].endswith(reverse("hsds_api_openapi"))
    other = hsds_data.employer_c.programs.get()
    assert _get(client, f"/api/hsds/services/{other.uuid}").status_code == 404
    assert client.get("/api/hsds/services").status_code == 401


def test_the_official_document_is_unchanged_but_for_refs_and_server():
    official = json.loads((hsds.SPEC_DIR / "openapi.json").read_text(encoding="utf-8"))
    offline = served_document()
    assert set(offline["paths"]) == set(official["paths"])
    for path, operations in official["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                assert [copy.deepcopy(p) for p in operation.get("parameters", [])] == offline["paths"][path][
                    method
                ].get("parameters", [])


def test_the_served_document_works_offline_and_names_its_server(client):
    response = client.get(reverse("hsds_api_openapi"))
    text = response.content.decode()
    assert (
        response.status_code == 200
        and "raw.githubusercontent.com" not in text
        and "http" not in text.split('"servers"')[0][-5:]
    )
    document = response.json()
    assert document["servers"] == [{"url": "/api/hsds"}]
    assert set(document["paths"]["/services"]["get"]["responses"]) == {"200", "400", "401", "429"}
    assert set(document["paths"]["/services/{id}"]["get"]["responses"]) == {"200", "401", "404", "429"}


@pytest.mark.django_db
def test_a_real_service_at_location_conforms_to_the_served_document(hsds_data):
    # schemathesis only ever asks for random ids (404); the official file named the service schema here.
    # (Through schemathesis only: Django's test client would connect close_old_connections again,
    # and the next WSGI call would close the test's PostgreSQL connection.)
    from schemathesis import checks as core_checks
    from schemathesis.specs.openapi import checks as openapi_checks

    listing = schema["/service_at_locations"]["GET"].Case().call(headers={"Authorization": f"Bearer {SECRET}"})
    real = listing.json()["contents"][0]["id"]
    case = schema["/service_at_locations/{id}"]["GET"].Case(path_parameters={"id": real})
    response = case.call(headers={"Authorization": f"Bearer {SECRET}"})
    assert response.status_code == 200
    case.validate_response(
        response, checks=[core_checks.not_a_server_error, openapi_checks.response_schema_conformance]
    )


@pytest.mark.django_db
def test_a_flag_is_true_or_false_and_an_offset_may_come_as_a_space(hsds_data, client):
    for name in ("full", "full_service", "minimal", "top_only"):
        answer = _get(client, "/api/hsds/organizations", **{name: "null"})
        assert answer.status_code == 400 and answer.json()["detail"] == f"{name} は true か false で指定してください。"
    assert _get(client, "/api/hsds/services", full="false").status_code == 200
    # modified_after=...T00:00:00+09:00 with the + unescaped arrives as a space: read as +09:00.
    spaced = client.get(
        "/api/hsds/services?modified_after=2020-01-01T00:00:00+09:00", headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert spaced.status_code == 200 and spaced.json()["total_items"] == len(EngagementType.values)


@pytest.mark.django_db
def test_a_search_with_a_nul_character_is_searched_without_it(hsds_data, client):
    # Found by schemathesis on PostgreSQL: `search=...%00...` was a 500 ("text fields cannot
    # contain NUL"). No stored text holds one: the search is made without it.
    services = _get(client, "/api/hsds/services", search="体験\x001").json()
    assert services["total_items"] == _get(client, "/api/hsds/services", search="体験1").json()["total_items"] == 1
    organizations = _get(client, "/api/hsds/organizations", search="びー\x00農園")
    assert organizations.status_code == 200 and organizations.json()["total_items"] == 1


@pytest.mark.django_db
def test_bad_parameters_are_said_in_japanese_and_pages_are_numbered_as_asked(hsds_data, client):
    page = _get(client, "/api/hsds/services", page="abc")
    assert page.status_code == 400 and page.json()["detail"] == "page は整数で指定してください。"
    since = _get(client, "/api/hsds/services", modified_after="garbage")
    assert since.status_code == 400 and "2026-12-01T09:00:00%2B09:00" in since.json()["detail"]
    far = _get(client, "/api/hsds/services", per_page=5, page=50).json()
    assert (far["page_number"], far["size"], far["empty"], far["last_page"]) == (50, 0, True, True)


@pytest.mark.django_db
def test_modified_after_without_an_offset_is_japan_time(hsds_data, client):
    newest = Program.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    local = timezone.localtime(newest).replace(tzinfo=None)  # the wall clock in Japan, no offset
    just_before = (local - datetime.timedelta(seconds=1)).isoformat()
    just_after = (local + datetime.timedelta(seconds=1)).isoformat()
    assert _get(client, "/api/hsds/services", modified_after=just_before).json()["total_items"] >= 1
    assert _get(client, "/api/hsds/services", modified_after=just_after).json()["total_items"] == 0
