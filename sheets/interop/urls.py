"""URLs of data going in and out: downloads of the program search (CSV/Excel) and HSDS 3.0,
spreadsheet imports (sheets/interop/imports/urls.py) and the JSON API (sheets/interop/api/urls.py)."""

from django.urls import include, path, re_path

from sheets.interop import views

urlpatterns = [
    re_path(r"^programs/export\.(?P<fmt>csv|xlsx)$", views.program_export, name="program_export"),
    path("hsds/datapackage.zip", views.hsds_datapackage, name="hsds_datapackage"),
    path("hsds/services/<uuid:program_uuid>/", views.hsds_service, name="hsds_service"),
    path("hsds/organizations/<uuid:employer_uuid>/", views.hsds_organization, name="hsds_organization"),
    path("", include("sheets.interop.imports.urls")),
    path("", include("sheets.interop.api.urls")),
]
