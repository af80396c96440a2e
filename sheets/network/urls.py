"""URLs of つなぎ: needs checks on a client, hand-offs between agencies."""

from django.urls import path

from sheets.network import views

CLIENT = "clients/<uuid:client_uuid>/"
CHECK = CLIENT + "needs-checks/<uuid:check_uuid>/"
HANDOFF = "handoffs/<uuid:handoff_uuid>/"
INCOMING = "referrals/incoming/"

urlpatterns = [
    path(CLIENT + "needs-checks/new/", views.needs_check_create, name="needs_check_create"),
    path(CHECK, views.needs_check_detail, name="needs_check_detail"),
    path(CHECK + "edit/", views.needs_check_edit, name="needs_check_edit"),
    path(CHECK + "print.pdf", views.needs_check_pdf, name="needs_check_pdf"),
    path(CLIENT + "handoff/", views.handoff_create, name="handoff_create"),
    path("handoffs/", views.handoff_list, name="handoff_list"),
    path(INCOMING, views.referral_notices, name="referral_notices"),
    path(
        "referrals/incoming/<uuid:referral_uuid>/confirm/",
        views.referral_notice_confirm,
        name="referral_notice_confirm",
    ),
    path("agencies/", views.agency_directory, name="agency_directory"),
    path("agencies/directory.pdf", views.agency_directory_pdf, name="agency_directory_pdf"),
    path("agencies/profile/", views.agency_profile_edit, name="agency_profile_edit"),
    path("agencies/<uuid:agency_uuid>/", views.agency_detail, name="agency_detail"),
    path(HANDOFF, views.handoff_detail, name="handoff_detail"),
    path(HANDOFF + "accept/", views.handoff_accept, name="handoff_accept"),
    path(HANDOFF + "decline/", views.handoff_decline, name="handoff_decline"),
    path(HANDOFF + "met/", views.handoff_met, name="handoff_met"),
    path(HANDOFF + "withdraw/", views.handoff_withdraw, name="handoff_withdraw"),
]
