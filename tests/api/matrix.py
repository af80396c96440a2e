"""Permission-matrix cases for the API and its token pages (merged by tests/test_permission_matrix.py).

The token pages are agency admins' (403 for everyone else, 404 for another agency's token).
The API itself ignores logged-in sessions: without a bearer token every persona gets 401; its
schema and docs are public."""

from django.urls import reverse

from registry import token_services
from registry.models import ApiToken
from tests.api.factories import published
from tests.matrix_support import ADMIN_A_ONLY, LOGIN, Case

POST_ONLY = {"*": 405}
NO_TOKEN = {"*": 401}


def extend_world(world) -> None:
    if hasattr(world, "api_token_a"):
        return
    world.api_token_a = token_services.api_token_create(agency=world.agency_a, by=world.agency_admin_a, name="A").token
    world.api_token_c = ApiToken.objects.create(
        agency=world.agency_c, name="C", prefix="shg_cccccccc", key_hash="c" * 64
    )
    world.api_program_a = published(world.employer_a, title="APIで公開中の体験")


MATRIX = {
    "api_token_list": [Case("GET", lambda w: reverse("api_token_list"), ADMIN_A_ONLY)],
    "api_token_create": [
        Case("GET", lambda w: reverse("api_token_create"), POST_ONLY),
        Case(
            "POST",
            lambda w: reverse("api_token_create"),
            {"anonymous": LOGIN, "agency_admin_a": 201, "*": 403},
            data=lambda w: {"name": "県ポータル"},
        ),
    ],
    "api_token_revoke": [
        Case("GET", lambda w: reverse("api_token_revoke", args=[w.api_token_a.uuid]), POST_ONLY),
        Case(
            "POST",
            lambda w: reverse("api_token_revoke", args=[w.api_token_a.uuid]),
            {"anonymous": LOGIN, "agency_admin_a": 302, "*": 403},
        ),
        # Another agency's token is not this admin's business.
        Case(
            "POST",
            lambda w: reverse("api_token_revoke", args=[w.api_token_c.uuid]),
            {"anonymous": LOGIN, "agency_admin_a": 404, "*": 403},
        ),
    ],
    "api_schema": [Case("GET", lambda w: reverse("api_schema"), {"*": 200})],
    "api_docs": [Case("GET", lambda w: reverse("api_docs"), {"*": 200})],
    "api_program_list": [Case("GET", lambda w: reverse("api_program_list"), NO_TOKEN)],
    "api_program_detail": [Case("GET", lambda w: reverse("api_program_detail", args=[w.api_program_a.uuid]), NO_TOKEN)],
    "api_employer_list": [Case("GET", lambda w: reverse("api_employer_list"), NO_TOKEN)],
    "api_employer_detail": [Case("GET", lambda w: reverse("api_employer_detail", args=[w.employer_a.uuid]), NO_TOKEN)],
    "api_hsds_service": [Case("GET", lambda w: reverse("api_hsds_service", args=[w.api_program_a.uuid]), NO_TOKEN)],
    "api_hsds_organization": [
        Case("GET", lambda w: reverse("api_hsds_organization", args=[w.employer_a.uuid]), NO_TOKEN)
    ],
    # The official HSDS 3.0 API: a token's agency only (its OpenAPI file is public).
    "hsds_api_openapi": [Case("GET", lambda w: reverse("hsds_api_openapi"), {"*": 200})],
    "hsds_api_root": [Case("GET", lambda w: reverse("hsds_api_root"), NO_TOKEN)],
    "hsds_api_services": [Case("GET", lambda w: reverse("hsds_api_services"), NO_TOKEN)],
    "hsds_api_service": [Case("GET", lambda w: reverse("hsds_api_service", args=[w.api_program_a.uuid]), NO_TOKEN)],
    "hsds_api_organizations": [Case("GET", lambda w: reverse("hsds_api_organizations"), NO_TOKEN)],
    "hsds_api_organization": [
        Case("GET", lambda w: reverse("hsds_api_organization", args=[w.employer_a.uuid]), NO_TOKEN)
    ],
    "hsds_api_service_at_locations": [Case("GET", lambda w: reverse("hsds_api_service_at_locations"), NO_TOKEN)],
    "hsds_api_service_at_location": [
        Case("GET", lambda w: reverse("hsds_api_service_at_location", args=[w.api_program_a.uuid]), NO_TOKEN)
    ],
    "hsds_api_taxonomies": [Case("GET", lambda w: reverse("hsds_api_taxonomies"), NO_TOKEN)],
    "hsds_api_taxonomy": [Case("GET", lambda w: reverse("hsds_api_taxonomy", args=["x"]), NO_TOKEN)],
    "hsds_api_taxonomy_terms": [Case("GET", lambda w: reverse("hsds_api_taxonomy_terms"), NO_TOKEN)],
    "hsds_api_taxonomy_term": [Case("GET", lambda w: reverse("hsds_api_taxonomy_term", args=["x"]), NO_TOKEN)],
    "api_not_found": [Case("GET", lambda w: "/api/v1/clients/", {"*": 404})],
}
