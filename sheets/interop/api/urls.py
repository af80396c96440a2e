from django.urls import path, re_path

from sheets.interop.api import http, views

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
    re_path(r"^api/", http.api_not_found, name="api_not_found"),
]
