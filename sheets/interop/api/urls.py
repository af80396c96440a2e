from django.urls import path, re_path

from sheets.interop.api import hsds_views, http, views

# Ids are matched as any text and parsed by the view, so that a malformed id answers a JSON
# 404 like an unknown one (not Django's HTML page); so does any other path under /api/.
urlpatterns = [
    path("api/schema/", views.schema, name="api_schema"),
    path("api/docs/", views.docs, name="api_docs"),
    path("api/v1/programs/", views.program_list, name="api_program_list"),
    path("api/v1/programs/<path:program_id>/", views.program_detail, name="api_program_detail"),
    path("api/v1/employers/", views.employer_list, name="api_employer_list"),
    path("api/v1/employers/<path:employer_id>/", views.employer_detail, name="api_employer_detail"),
    path("api/v1/hsds/services/<path:program_id>/", views.hsds_service, name="api_hsds_service"),
    path("api/v1/hsds/organizations/<path:employer_id>/", views.hsds_organization, name="api_hsds_organization"),
    # The official HSDS 3.0 API (its paths have no trailing slash).
    path("api/hsds/", hsds_views.hsds_root, name="hsds_api_root"),
    path("api/hsds/openapi.json", hsds_views.hsds_openapi, name="hsds_api_openapi"),
    path("api/hsds/services", hsds_views.hsds_services, name="hsds_api_services"),
    path("api/hsds/services/<path:service_id>", hsds_views.hsds_service, name="hsds_api_service"),
    path("api/hsds/organizations", hsds_views.hsds_organizations, name="hsds_api_organizations"),
    path("api/hsds/organizations/<path:organization_id>", hsds_views.hsds_organization, name="hsds_api_organization"),
    path("api/hsds/service_at_locations", hsds_views.hsds_service_at_locations, name="hsds_api_service_at_locations"),
    path(
        "api/hsds/service_at_locations/<path:service_at_location_id>",
        hsds_views.hsds_service_at_location,
        name="hsds_api_service_at_location",
    ),
    path("api/hsds/taxonomies", hsds_views.hsds_taxonomies, name="hsds_api_taxonomies"),
    path("api/hsds/taxonomies/<path:taxonomy_id>", hsds_views.hsds_taxonomy, name="hsds_api_taxonomy"),
    path("api/hsds/taxonomy_terms", hsds_views.hsds_taxonomy_terms, name="hsds_api_taxonomy_terms"),
    path(
        "api/hsds/taxonomy_terms/<path:taxonomy_term_id>", hsds_views.hsds_taxonomy_term, name="hsds_api_taxonomy_term"
    ),
    re_path(r"^api/", http.api_not_found, name="api_not_found"),
]
