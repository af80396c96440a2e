"""URLs of clients, self-introductions, consents, matching and referrals."""

from django.urls import path

from sheets.clients import views

CLIENT = "clients/<uuid:client_uuid>/"
INTRODUCTION = CLIENT + "introductions/<uuid:introduction_uuid>"

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path(CLIENT, views.client_detail, name="client_detail"),
    path(CLIENT + "erasure/", views.client_erase_confirm, name="client_erase_confirm"),
    path(CLIENT + "erase/", views.client_erase, name="client_erase"),
    path(CLIENT + "sensitive-consent/", views.sensitive_consent, name="client_sensitive_consent"),
    path(CLIENT + "introductions/new/", views.introduction_create, name="introduction_create"),
    path(INTRODUCTION + "/", views.introduction_detail, name="introduction_detail"),
    path(INTRODUCTION + "/edit/", views.introduction_edit, name="introduction_edit"),
    path(INTRODUCTION + "/consents/new/", views.consent_create, name="consent_create"),
    path(INTRODUCTION + "/consents/<uuid:consent_uuid>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(CLIENT + "matches/", views.client_matches, name="client_matches"),
    path(CLIENT + "referrals/", views.referral_create, name="referral_create"),
    path("referrals/<uuid:referral_uuid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_uuid>/<slug:action>/", views.referral_action, name="referral_action"),
]
