"""URLs of the spreadsheet import: template downloads, upload → dry-run preview → confirm."""

from django.urls import path, re_path

from sheets.interop.imports import views

urlpatterns = [
    path("imports/", views.import_start, name="import_start"),
    re_path(r"^imports/template\.(?P<fmt>xlsx|csv)$", views.import_template, name="import_template"),
    path("imports/<uuid:batch_uuid>/", views.import_preview, name="import_preview"),
    path("imports/<uuid:batch_uuid>/confirm/", views.import_confirm, name="import_confirm"),
]
