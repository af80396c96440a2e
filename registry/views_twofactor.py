"""Two-factor authentication screens: set up, enter a code, recovery codes, agency rule."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from registry import twofactor
from registry.access import agency_role_required, require_acting_membership
from registry.http import StaffRequest
from registry.models import Membership, Role
from registry.services import audit


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


WRONG_PASSWORD = gettext_lazy("The password is not right.")


class SetupForm(CodeForm):
    """A device change: the code of the new app and, again, the password (re-authentication)."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: StaffRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not password_is_right(self.request, password):
            raise forms.ValidationError(WRONG_PASSWORD)
        return password


def password_is_right(request: StaffRequest, password: str) -> bool:
    """Re-authentication: through the login's own backends, so a wrong password counts towards
    the lockout (and a locked account cannot re-authenticate) like on the login page."""
    user = request.user
    return authenticate(request, username=user.email, password=password) == user


def unverified_with_device(request: StaffRequest) -> HttpResponse | None:
    """The refusal for a session that has passed only the password while the user has a device:
    setup, recovery codes and removal need a code from that device (or a recovery code) first."""
    if request.user.is_verified() or not twofactor.has_any_device(request.user):
        return None
    messages.warning(request, _("Enter a code from your current authenticator app or a recovery code first."))
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': reverse('two_factor_status')})}")


@never_cache
@login_required
def two_factor_status(request: StaffRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "registration/two_factor_status.html",
        {
            "enrolled": twofactor.is_enrolled(user),
            "required": twofactor.is_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


@never_cache
@login_required
def two_factor_setup(request: StaffRequest) -> HttpResponse:
    if refusal := unverified_with_device(request):
        return refusal
    user = request.user
    form = SetupForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, twofactor.verify_device_after_enrolment(user))
            audit(by=user, agency=None, action="auth.2fa_enabled", target=user)
            return render(request, "registration/recovery_codes.html", {"codes": codes, "first_time": True})
        form.add_error("code", _("The code is not right. Check the time on your phone and enter the current code."))
    enrolment = twofactor.enrolment_for(user)
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "enrolment": enrolment, "required": twofactor.is_required(user)},
    )


@never_cache
@login_required
def two_factor_verify(request: StaffRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            audit(by=request.user, agency=None, action="auth.2fa_verified", target=request.user)
            return redirect(next_url or "dashboard")
        audit(by=request.user, agency=None, action="auth.2fa_failed", target=request.user)
        form.add_error("code", _("The code is not right. Enter the current code from your app or a recovery code."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@require_POST
@login_required
def two_factor_recovery_codes(request: StaffRequest) -> HttpResponse:
    if refusal := unverified_with_device(request):
        return refusal
    if not twofactor.is_enrolled(request.user):
        return redirect("two_factor_setup")
    codes = twofactor.new_recovery_codes(request.user)
    audit(by=request.user, agency=None, action="auth.2fa_recovery_codes", target=request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "first_time": False})


@require_POST
@login_required
def two_factor_disable(request: StaffRequest) -> HttpResponse:
    if refusal := unverified_with_device(request):
        return refusal
    if twofactor.is_required(request.user):
        messages.error(request, _("Two-factor authentication is required for your agency; it cannot be turned off."))
        return redirect("two_factor_status")
    if not password_is_right(request, request.POST.get("password", "")):
        messages.error(request, _("The password is not right. Two-factor authentication stays on."))
        return redirect("two_factor_status")
    twofactor.disable(request.user)
    audit(by=request.user, agency=None, action="auth.2fa_disabled", target=request.user)
    messages.success(request, _("Two-factor authentication was turned off."))
    return redirect("two_factor_status")


@agency_role_required(Role.AGENCY_ADMIN)
def agency_security(request: StaffRequest) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    if request.method == "POST":
        agency.require_2fa = request.POST.get("require_2fa") == "1"
        agency.save(update_fields=["require_2fa"])
        audit(by=request.user, agency=agency, action="agency.require_2fa", target=agency, required=agency.require_2fa)
        messages.success(request, _("The setting was saved."))
        return redirect("agency_security")
    staff = Membership.objects.filter(agency=agency, is_active=True).select_related("user")
    enrolled = set(twofactor.enrolled_user_ids([m.user_id for m in staff]))
    rows = [(m, m.user_id in enrolled) for m in staff]
    return render(request, "registry/agency_security.html", {"agency": agency, "rows": rows})
