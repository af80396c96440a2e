"""URLs of programs: their page, edit form, life cycle, history, re-verification and the
employer's review (the review page needs no account)."""

from django.urls import path, re_path

from sheets.programs import views

urlpatterns = [
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
    path(
        "programs/<uuid:program_uuid>/review-links/<uuid:link_uuid>/resend/",
        views.review_link_resend,
        name="review_link_resend",
    ),
    path("programs/<uuid:program_uuid>/approvals/carry-over/", views.approval_carry_over, name="approval_carry_over"),
    path("review/<str:token>/", views.review_page, name="review_page"),
]
