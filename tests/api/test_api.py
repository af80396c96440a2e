"""The read-only API: what a token sees, filters, cursor pagination, ETag/Last-Modified,
rate limit, errors. Agencies A and B share region X (prefecture 28), C is in prefecture 44."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import token_services
from registry.models import ApiToken
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.vocabulary import EngagementType
from tests.api.factories import bearer, published, token_for
from tests.factories import EmployerFactory
from tests.sheets.client_factories import ClientFactory
from tests.sheets.factories import ProgramFactory, TimetableRowFactory

LIST = "/api/v1/programs/"
EMPLOYERS = "/api/v1/employers/"


@pytest.fixture
def data(world):
    """Programs of A in every state and scope, one of B, one of C; a token per agency."""
    employer_b = EmployerFactory(owner=world.agency_b, name="株式会社びー農園")
    world.draft_a = ProgramFactory(employer=world.employer_a, title="下書きの体験")
    world.review_a = ProgramFactory(employer=world.employer_a, title="確認中の体験", status=ProgramStatus.IN_REVIEW)
    world.own_only_a = published(world.employer_a, scope=SharingScope.OWN_AGENCY, title="自機関だけの体験")
    world.region_a = published(world.employer_a, title="袋詰めの体験", days=["mon", "wed"], is_paid=False)
    world.prefecture_a = published(
        world.employer_a,
        scope=SharingScope.PREFECTURE,
        title="検品のアルバイト",
        engagement_type=EngagementType.PART_TIME,
        is_paid=True,
        days=["tue"],
    )
    world.archived_a = published(world.employer_a, title="終わった体験")
    Program.objects.filter(pk=world.archived_a.pk).update(status=ProgramStatus.ARCHIVED)
    world.region_b = published(employer_b, title="ねぎの収穫体験", engagement_type=EngagementType.VISIT)
    world.draft_b = ProgramFactory(employer=employer_b, title="びーの下書き")
    world.region_c = published(world.employer_c, title="玖珠の見学", engagement_type=EngagementType.VISIT)
    TimetableRowFactory(program=world.region_a, time="9:00", activity="あいさつ")
    ClientFactory(agency=world.agency_a, preferred_name="秘密のよびな")
    world.secret_a = token_for(world.agency_a, world.agency_admin_a)
    world.secret_b = token_for(world.agency_b, world.agency_admin_a)
    world.secret_c = token_for(world.agency_c, world.agency_admin_a)
    return world


def titles(client, secret, url=LIST, **params) -> set[str]:
    response = client.get(url, params, headers=bearer(secret))
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["results"]}


# --- What a token sees ---------------------------------------------------------------------------


def test_a_token_sees_what_a_counselor_of_its_agency_sees_published_only(client, data):
    assert titles(client, data.secret_a) == {"自機関だけの体験", "袋詰めの体験", "検品のアルバイト", "ねぎの収穫体験"}
    # B (same region): A's region and prefecture programs, its own; never A's drafts or own-agency ones.
    assert titles(client, data.secret_b) == {"袋詰めの体験", "検品のアルバイト", "ねぎの収穫体験"}
    # C (another prefecture): only its own.
    assert titles(client, data.secret_c) == {"玖珠の見学"}


def test_no_draft_review_archived_or_client_text_in_any_answer(client, data):
    for secret in (data.secret_a, data.secret_b, data.secret_c):
        for url in (LIST, EMPLOYERS):
            body = client.get(url, headers=bearer(secret)).content.decode()
            for hidden in ("下書き", "確認中の体験", "終わった体験", "秘密のよびな"):
                assert hidden not in body


def test_another_agencys_private_or_draft_program_is_404(client, data):
    for program in (data.own_only_a, data.draft_a, data.review_a):
        response = client.get(reverse("api_program_detail", args=[program.uuid]), headers=bearer(data.secret_b))
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    # Even the owner's token does not get its draft: the API is published programs only.
    response = client.get(reverse("api_program_detail", args=[data.draft_a.uuid]), headers=bearer(data.secret_a))
    assert response.status_code == 404


def test_program_detail(client, data):
    response = client.get(reverse("api_program_detail", args=[data.region_a.uuid]), headers=bearer(data.secret_b))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(data.region_a.uuid)
    assert body["title"] == "袋詰めの体験"
    assert body["days"] == ["mon", "wed"]
    assert body["timetable"] == [{"time": "9:00", "activity": "あいさつ"}]
    assert body["employer"]["name"] == data.employer_a.name
    assert body["employer"]["region"]["prefecture"]["code"] == "28"
    assert body["agency"] == {"id": str(data.agency_a.uuid), "name": "機関A"}
    assert "created_by" not in body and "search_text" not in body


def test_employers_are_those_of_visible_published_programs_without_contacts(client, data):
    data.employer_a.contact_name = "担当 花子"
    data.employer_a.contact_phone = "072-000-0000"
    data.employer_a.save()
    response = client.get(EMPLOYERS, headers=bearer(data.secret_b))
    assert response.status_code == 200
    employers = {e["name"]: e for e in response.json()["results"]}
    assert set(employers) == {data.employer_a.name, "株式会社びー農園"}
    assert {p["title"] for p in employers[data.employer_a.name]["programs"]} == {"袋詰めの体験", "検品のアルバイト"}
    assert "担当 花子" not in response.content.decode() and "072-000-0000" not in response.content.decode()
    # C sees neither employer of region X.
    assert (
        client.get(
            reverse("api_employer_detail", args=[data.employer_a.uuid]), headers=bearer(data.secret_c)
        ).status_code
        == 404
    )
    detail = client.get(reverse("api_employer_detail", args=[data.employer_c.uuid]), headers=bearer(data.secret_c))
    assert detail.status_code == 200
    assert [p["title"] for p in detail.json()["programs"]] == ["玖珠の見学"]


def test_an_employer_with_only_drafts_is_not_listed(client, data):
    lonely = EmployerFactory(owner=data.agency_a, name="下書きしかない商店")
    ProgramFactory(employer=lonely)
    response = client.get(reverse("api_employer_detail", args=[lonely.uuid]), headers=bearer(data.secret_a))
    assert response.status_code == 404


# --- Tokens ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer shg_not-a-real-token", "Basic dXNlcjpwYXNz", "shg_without_scheme"],
)
def test_no_or_unknown_token_is_401_json(client, data, header):
    headers = {"Authorization": header} if header else {}
    for url in (LIST, EMPLOYERS, reverse("api_program_detail", args=[data.region_a.uuid])):
        response = client.get(url, headers=headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["error"] == "unauthorized"


def test_a_revoked_token_is_401_at_once(client, data):
    assert client.get(LIST, headers=bearer(data.secret_a)).status_code == 200
    token = ApiToken.objects.get(agency=data.agency_a)
    token_services.api_token_revoke(token=token, by=data.agency_admin_a)
    assert client.get(LIST, headers=bearer(data.secret_a)).status_code == 401


def test_a_token_of_a_deactivated_agency_is_401(client, data):
    data.agency_a.is_active = False
    data.agency_a.save()
    assert client.get(LIST, headers=bearer(data.secret_a)).status_code == 401


def test_a_logged_in_session_is_not_a_token(client, data):
    client.force_login(data.counselor_a)
    assert client.get(LIST).status_code == 401


def test_use_is_recorded_without_a_write_per_request(client, data):
    token = ApiToken.objects.get(agency=data.agency_a)
    assert token.last_used_at is None
    client.get(LIST, headers=bearer(data.secret_a))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(LIST, headers=bearer(data.secret_a))
    token.refresh_from_db()
    assert token.last_used_at == first


# --- Filters -----------------------------------------------------------------------------------


def test_filters_match_the_search_facets(client, data):
    a = data.secret_a
    assert titles(client, a, engagement_type="part_time") == {"検品のアルバイト"}
    assert titles(client, a, engagement_type=["visit", "part_time"]) == {"検品のアルバイト", "ねぎの収穫体験"}
    assert titles(client, a, paid="yes") == {"検品のアルバイト"}
    assert titles(client, a, days="tue") == {"検品のアルバイト"}
    assert titles(client, a, q="袋詰め") == {"袋詰めの体験"}
    assert titles(client, a, region=data.region_x.code) == titles(client, a)
    assert titles(client, a, prefecture="28", engagement_type="visit") == {"ねぎの収穫体験"}
    assert titles(client, a, region="011002") == set()  # well-formed, nobody there
    names = {e["name"] for e in client.get(EMPLOYERS, {"q": "びー"}, headers=bearer(data.secret_b)).json()["results"]}
    assert names == {"株式会社びー農園"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"engagement_type": "holiday"}, "engagement_type"),
        ({"region": "28"}, "region"),
        ({"region": "123456 "}, "region"),
        ({"prefecture": "hyogo"}, "prefecture"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "5.0"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_parameters_are_400_with_the_field_named(client, data, params, field):
    response = client.get(LIST, params, headers=bearer(data.secret_a))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameters"
    assert list(body["fields"]) == [field]


def test_errors_speak_the_request_language(client, data):
    response = client.get(LIST, {"limit": "0"}, headers=bearer(data.secret_a) | {"Accept-Language": "ja"})
    assert "1" in response.json()["fields"]["limit"][0]
    assert response["Content-Language"] == "ja"


# --- Pagination --------------------------------------------------------------------------------


def walk(client, secret, url, **params) -> list[str]:
    ids, pages = [], 0
    next_url = client.get(url, params, headers=bearer(secret)).json()
    while True:
        pages += 1
        ids += [item["id"] for item in next_url["results"]]
        if next_url["next"] is None:
            return ids
        assert pages < 100
        next_url = client.get(next_url["next"], headers=bearer(secret)).json()


def test_cursor_pagination_walks_every_result_exactly_once(client, data):
    extra_employer = EmployerFactory(owner=data.agency_b)
    for i in range(11):
        published(
            extra_employer, title=f"追加の体験{i}", engagement_type=EngagementType.VISIT if i % 2 else "experience"
        )
    everything = walk(client, data.secret_b, LIST, limit=100)
    assert len(everything) == len(set(everything)) == 14
    for limit in (1, 2, 5):
        ids = walk(client, data.secret_b, LIST, limit=limit)
        assert ids == everything  # same stable order, each once
    visits = walk(client, data.secret_b, LIST, limit=2, engagement_type="visit")
    assert len(visits) == len(set(visits)) == 6  # the filter is kept in the next links
    employers = walk(client, data.secret_b, EMPLOYERS, limit=1)
    assert len(employers) == len(set(employers)) == 3


def test_next_link_is_absolute_and_keeps_the_filters(client, data):
    body = client.get(LIST, {"limit": 1, "paid": "no"}, headers=bearer(data.secret_a)).json()
    assert body["next"].startswith("http://testserver/api/v1/programs/?")
    assert "paid=no" in body["next"] and "cursor=" in body["next"]


# --- ETag and Last-Modified ---------------------------------------------------------------------


@pytest.mark.parametrize("url_of", [lambda w: LIST, lambda w: EMPLOYERS, lambda w: f"{LIST}{w.region_a.uuid}/"])
def test_etag_gives_304_until_something_changes(client, data, url_of):
    url = url_of(data)
    first = client.get(url, headers=bearer(data.secret_b))
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url, headers=bearer(data.secret_b) | {"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers=bearer(data.secret_b) | {"If-None-Match": '"other"'}).status_code == 200
    # A change of what the answer shows: new ETag, no 304.
    later = timezone.now() + datetime.timedelta(seconds=2)
    Program.objects.filter(pk=data.region_a.pk).update(title="袋詰めの体験（改）", updated_at=later)
    again = client.get(url, headers=bearer(data.secret_b) | {"If-None-Match": etag})
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_one_programs_answer_has_last_modified_too(client, data):
    url = f"{LIST}{data.region_a.uuid}/"
    modified = client.get(url, headers=bearer(data.secret_b))["Last-Modified"]
    assert client.get(url, headers=bearer(data.secret_b) | {"If-Modified-Since": modified}).status_code == 304
    later = timezone.now() + datetime.timedelta(seconds=2)
    Program.objects.filter(pk=data.region_a.pk).update(title="袋詰めの体験（改）", updated_at=later)
    assert client.get(url, headers=bearer(data.secret_b) | {"If-Modified-Since": modified}).status_code == 200


@pytest.mark.parametrize("url", [LIST, EMPLOYERS, "/api/hsds/services", "/api/hsds/organizations"])
def test_answers_gathering_programs_are_dated_by_nothing_another_agency_does(client, data, url):
    """No Last-Modified on a list: the latest change of every program that could be in it told a
    token when another agency edited a program it cannot see; the ETag alone validates it."""
    first = client.get(url, headers=bearer(data.secret_b))
    assert first.status_code == 200 and "Last-Modified" not in first
    later = timezone.now() + datetime.timedelta(seconds=2)
    Program.objects.filter(pk__in=[data.draft_a.pk, data.own_only_a.pk, data.region_c.pk]).update(updated_at=later)
    again = client.get(url, headers=bearer(data.secret_b) | {"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and "Last-Modified" not in again
    # If-Modified-Since alone is not used: a list is always answered in full without its ETag.
    since = {"If-Modified-Since": "Sat, 01 Jan 2100 00:00:00 GMT"}
    assert client.get(url, headers=bearer(data.secret_b) | since).status_code == 200


def test_a_program_leaving_the_list_changes_its_etag(client, data):
    first = client.get(LIST, headers=bearer(data.secret_b))
    Program.objects.filter(pk=data.prefecture_a.pk).update(status=ProgramStatus.ARCHIVED)
    response = client.get(LIST, headers=bearer(data.secret_b) | {"If-None-Match": first["ETag"]})
    assert response.status_code == 200
    assert "検品のアルバイト" not in response.content.decode()


def test_answers_are_private_and_revalidated(client, data):
    response = client.get(LIST, headers=bearer(data.secret_a))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]
    assert "Set-Cookie" not in response.headers


# --- Rate limit, methods, unknown paths ---------------------------------------------------------


def test_rate_limit_per_token_with_retry_after(client, data, settings):
    settings.API_RATE_LIMIT = (3, 3600)
    statuses = [client.get(LIST, headers=bearer(data.secret_a)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(LIST, headers=bearer(data.secret_a))
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 3600
    assert limited.json()["error"] == "rate_limited"
    # Another token has its own allowance.
    assert client.get(LIST, headers=bearer(data.secret_b)).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow(client, data, method):
    response = getattr(client, method)(LIST, headers=bearer(data.secret_a))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/api/v1/programs/not-a-uuid/", "/api/v1/programs/a/b/", "/api/v2/", "/api/x"])
def test_other_api_paths_are_json_404(client, data, path):
    response = client.get(path, headers=bearer(data.secret_a))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_schema_and_docs_are_public(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert schema.json()["openapi"] == "3.1.0"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"vendor/swagger-ui/swagger-ui-bundle.js" in docs.content
    assert b"<script>" not in docs.content  # nothing inline: the CSP forbids it


def test_the_schema_lists_every_filter_of_the_search(client, db):
    from sheets.interop.api.filters import ApiProgramFilter

    parameters = client.get("/api/schema/").json()["paths"]["/api/v1/programs/"]["get"]["parameters"]
    names = {p["name"] for p in parameters if "name" in p}
    assert names == set(ApiProgramFilter.base_filters)
    assert {"engagement_type", "days", "low_demand", "region", "q"} <= names


# --- HSDS 3.0 ----------------------------------------------------------------------------------


def test_hsds_service_and_organization_are_valid_and_follow_the_same_visibility(client, data):
    from tests.sheets.test_hsds import assert_valid

    service = client.get(f"/api/v1/hsds/services/{data.region_a.uuid}/", headers=bearer(data.secret_b))
    assert service.status_code == 200
    assert service.json()["id"] == str(data.region_a.uuid) and service.json()["name"] == "袋詰めの体験"
    assert_valid("service", service.json())
    assert (
        client.get(
            f"/api/v1/hsds/services/{data.region_a.uuid}/",
            headers=bearer(data.secret_b) | {"If-None-Match": service["ETag"]},
        ).status_code
        == 304
    )
    organization = client.get(f"/api/v1/hsds/organizations/{data.employer_a.uuid}/", headers=bearer(data.secret_b))
    assert organization.status_code == 200
    assert_valid("organization", organization.json())
    assert {s["name"] for s in organization.json()["services"]} == {"袋詰めの体験", "検品のアルバイト"}
    for program in (data.draft_a, data.own_only_a):
        assert client.get(f"/api/v1/hsds/services/{program.uuid}/", headers=bearer(data.secret_b)).status_code == 404
    assert (
        client.get(f"/api/v1/hsds/organizations/{data.employer_a.uuid}/", headers=bearer(data.secret_c)).status_code
        == 404
    )
    assert client.get(f"/api/v1/hsds/services/{data.region_a.uuid}/").status_code == 401


def test_lists_take_the_same_number_of_queries_whatever_their_length(client, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers=bearer(data.secret_b)).status_code == 200
        return len(captured)

    client.get(LIST, headers=bearer(data.secret_b))  # the first use of the token also records it
    before = {url: queries(url) for url in (LIST, EMPLOYERS)}
    for i in range(10):
        employer = EmployerFactory(owner=data.agency_b)
        TimetableRowFactory(program=published(employer, title=f"追加{i}"))
    assert {url: queries(url) for url in (LIST, EMPLOYERS)} == before
