"""Downloads of programs (sheets/export_views.py): CSV/Excel of the search, and HSDS 3.0."""

from django.urls import path, re_path

from sheets import export_views

urlpatterns = [
    re_path(r"^programs/export\.(?P<fmt>csv|xlsx)$", export_views.program_export, name="program_export"),
    path("hsds/datapackage.zip", export_views.hsds_datapackage, name="hsds_datapackage"),
    path("hsds/services/<uuid:program_uuid>/", export_views.hsds_service, name="hsds_service"),
    path("hsds/organizations/<uuid:employer_uuid>/", export_views.hsds_organization, name="hsds_organization"),
]
