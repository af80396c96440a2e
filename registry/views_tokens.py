"""Agency admins create and revoke their agency's API tokens (agency admin area)."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry import token_services
from registry.access import agency_role_required, require_acting_membership
from registry.forms import CrispyMixin
from registry.http import StaffRequest
from registry.models import ApiToken, Role


class ApiTokenForm(CrispyMixin, forms.ModelForm[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": gettext_lazy("Name of the system that will use the token")}


def _render_list(request: StaffRequest, form: ApiTokenForm, *, status: int = 200) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    tokens = ApiToken.objects.filter(agency=agency).select_related("created_by")
    return render(
        request, "registry/api_token_list.html", {"agency": agency, "tokens": tokens, "form": form}, status=status
    )


@agency_role_required(Role.AGENCY_ADMIN)
def api_token_list(request: StaffRequest) -> HttpResponse:
    return _render_list(request, ApiTokenForm())


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def api_token_create(request: StaffRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    agency = require_acting_membership(request.user).agency
    created = token_services.api_token_create(agency=agency, by=request.user, name=form.cleaned_data["name"])
    # The secret is in this response only (never stored, never redirected through the session);
    # the page is not cached (no-store for logged-in users). 201: something was created, and this
    # page (not a redirect) is the only place that shows it.
    context = {"token": created.token, "secret": created.secret}
    return render(request, "registry/api_token_created.html", context, status=201)


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def api_token_revoke(request: StaffRequest, token_uuid: UUID) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    token = ApiToken.objects.filter(agency=agency, uuid=token_uuid).first()
    if token is None:
        raise Http404  # another agency's token is not this admin's business
    token_services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_token_list")
