"""URLs of the spreadsheet import, appended to sheets/urls.py."""

from django.urls import path, re_path

from sheets import import_views as views

urlpatterns = [
    path("imports/", views.import_start, name="import_start"),
    re_path(r"^imports/template\.(?P<fmt>xlsx|csv)$", views.import_template, name="import_template"),
    path("imports/<uuid:batch_uuid>/", views.import_preview, name="import_preview"),
    path("imports/<uuid:batch_uuid>/confirm/", views.import_confirm, name="import_confirm"),
]
