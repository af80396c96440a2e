from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from registry import export_views, views, views_twofactor
from registry.password_reset import ThrottledPasswordResetView

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("agency/switch/", views.agency_switch, name="agency_switch"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    re_path(r"^employers/export\.(?P<fmt>csv|xlsx)$", export_views.employer_export, name="employer_export"),
    path("employers/<uuid:employer_uuid>/", views.employer_detail, name="employer_detail"),
    path("employers/<uuid:employer_uuid>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<uuid:employer_uuid>/archive/", views.employer_archive, name="employer_archive"),
    path("employers/<uuid:employer_uuid>/visits/new/", views.visit_create, name="visit_create"),
    path("agency/staff/", views.staff_list, name="staff_list"),
    path("agency/staff/invite/", views.staff_invite, name="staff_invite"),
    path(
        "agency/staff/invitations/<uuid:user_uuid>/resend/",
        views.staff_invitation_resend,
        name="staff_invitation_resend",
    ),
    path(
        "agency/staff/invitations/<uuid:user_uuid>/cancel/",
        views.staff_invitation_cancel,
        name="staff_invitation_cancel",
    ),
    path("agency/staff/<uuid:membership_uuid>/role/", views.staff_role, name="staff_role"),
    path("agency/staff/<uuid:membership_uuid>/active/", views.staff_active, name="staff_active"),
    # Accounts (Django's views, Japanese templates).
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/join/<str:token>/", views.membership_invitation, name="membership_invitation"),
    path("accounts/agencies/", views.my_agencies, name="my_agencies"),
    path("accounts/agencies/<uuid:membership_uuid>/leave/", views.membership_leave, name="membership_leave"),
    path("accounts/sessions/", views.session_list, name="session_list"),
    path("accounts/sessions/end-all/", views.session_end_all, name="session_end_all"),
    path("accounts/sessions/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("agency/audit/", views.audit_list, name="audit_list"),
    path("agency/security/", views_twofactor.agency_security, name="agency_security"),
    path("accounts/2fa/", views_twofactor.two_factor_status, name="two_factor_status"),
    path("accounts/2fa/setup/", views_twofactor.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/verify/", views_twofactor.two_factor_verify, name="two_factor_verify"),
    path("accounts/2fa/recovery-codes/", views_twofactor.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/2fa/disable/", views_twofactor.two_factor_disable, name="two_factor_disable"),
]

# --- API tokens of the agency (issue 8): see registry/views_tokens.py.
from registry import views_tokens  # noqa: E402

urlpatterns += [
    path("agency/api-tokens/", views_tokens.api_token_list, name="api_token_list"),
    path("agency/api-tokens/new/", views_tokens.api_token_create, name="api_token_create"),
    path("agency/api-tokens/<uuid:token_uuid>/revoke/", views_tokens.api_token_revoke, name="api_token_revoke"),
]
