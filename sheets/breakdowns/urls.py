"""URLs of task breakdown sheets and their rows, and of a program made from chosen task rows."""

from django.urls import path

from sheets.breakdowns import views

BREAKDOWN = "employers/<uuid:employer_uuid>/breakdowns/<uuid:breakdown_uuid>/"
ROW = BREAKDOWN + "rows/<uuid:row_uuid>/"

urlpatterns = [
    path("employers/<uuid:employer_uuid>/breakdowns/new/", views.breakdown_create, name="breakdown_create"),
    path(BREAKDOWN, views.breakdown_detail, name="breakdown_detail"),
    path(BREAKDOWN + "rows/new/", views.row_add, name="row_add"),
    path(ROW, views.row_edit, name="row_edit"),
    path(ROW + "move/", views.row_move, name="row_move"),
    path(ROW + "delete/", views.row_remove, name="row_remove"),
    path("programs/new/", views.program_create, name="program_create"),
]
