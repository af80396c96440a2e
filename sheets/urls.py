from django.urls import path, re_path

from sheets import search_views, views

BREAKDOWN = "employers/<uuid:employer_uuid>/breakdowns/<uuid:breakdown_uuid>/"
ROW = BREAKDOWN + "rows/<uuid:row_uuid>/"

urlpatterns = [
    # Programs (the printing views are added below by the printing work).
    # Program search (sheets/search_views.py): the whole search in the query string.
    path("programs/", search_views.program_search, name="program_list"),
    path("programs/saved-searches/", search_views.saved_search_add, name="saved_search_add"),
    path(
        "programs/saved-searches/<uuid:saved_uuid>/delete/",
        search_views.saved_search_remove,
        name="saved_search_remove",
    ),
    path("programs/new/", views.program_create, name="program_create"),
    path("programs/reverify/", views.reverify_queue, name="reverify_queue"),
    path("programs/<uuid:program_uuid>/", views.program_detail, name="program_detail"),
    path("programs/<uuid:program_uuid>/edit/", views.program_edit, name="program_edit"),
    path("programs/<uuid:program_uuid>/history/", views.program_history, name="program_history"),
    path("programs/<uuid:program_uuid>/reverify/", views.program_reverify, name="program_reverify"),
    re_path(
        r"^programs/(?P<program_uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
        r"(?P<transition>submit_for_review|publish|archive|return_to_draft)/$",
        views.program_transition,
        name="program_transition",
    ),
    path("programs/<uuid:program_uuid>/review-links/", views.review_link_create, name="review_link_create"),
    path(
        "programs/<uuid:program_uuid>/review-links/<uuid:link_uuid>/revoke/",
        views.review_link_revoke,
        name="review_link_revoke",
    ),
    # Task breakdown sheets and their rows.
    path("employers/<uuid:employer_uuid>/breakdowns/new/", views.breakdown_create, name="breakdown_create"),
    path(BREAKDOWN, views.breakdown_detail, name="breakdown_detail"),
    path(BREAKDOWN + "rows/new/", views.row_add, name="row_add"),
    path(ROW, views.row_edit, name="row_edit"),
    path(ROW + "move/", views.row_move, name="row_move"),
    path(ROW + "delete/", views.row_remove, name="row_remove"),
    # The employer contact's review page (no account).
    path("review/<str:token>/", views.review_page, name="review_page"),
]

# --- Printing (sheets ①②③ previews and PDFs, task breakdown sheet, 印刷リスト, binder, photos):
# owned by the printing work, see sheets/print_urls.py.
from sheets.print_urls import urlpatterns as print_urlpatterns  # noqa: E402

urlpatterns += print_urlpatterns

# --- Clients, self-introductions, consent, matching, referrals (issue 4): see sheets/client_urls.py.
from sheets.client_urls import urlpatterns as client_urlpatterns  # noqa: E402

urlpatterns += client_urlpatterns

# --- Spreadsheet import of employers and programs (issue 8): see sheets/import_urls.py.
from sheets.import_urls import urlpatterns as import_urlpatterns  # noqa: E402

urlpatterns += import_urlpatterns

# --- Downloads: program search as CSV/Excel, HSDS 3.0 (issue 8): see sheets/export_urls.py.
from sheets.export_urls import urlpatterns as export_urlpatterns  # noqa: E402

urlpatterns += export_urlpatterns

# --- Read-only JSON API, its OpenAPI document and docs (issue 8): see sheets/api/urls.py.
from sheets.api.urls import urlpatterns as api_urlpatterns  # noqa: E402

urlpatterns += api_urlpatterns
