"""Screens of つなぎ: the first-contact needs check on a client, and hand-offs between agencies
(/handoffs/ inbox and sent list, /handoffs/<uuid>/, sending from the client page).

Every page goes through a door (sheets/network/access.py): a third agency gets 404. Pages with
a client's data are `private, no-store` and write an audit entry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.access import agency_role_required, role_required
from registry.forms import add_service_error
from registry.http import PRIVATE, confirmation, confirmed, private
from registry.models import Agency, Region, Role, acting_membership
from sheets.clients.access import get_client_for_user
from sheets.clients.services import record_access
from sheets.network import selectors, services
from sheets.network.access import (
    directory_agencies,
    get_directory_agency_for_user,
    get_handoff_for_user,
    get_incoming_referral_for_user,
    get_needs_check_for_user,
)
from sheets.network.forms import (
    AgencyProfileForm,
    DeclineForm,
    DirectorySearchForm,
    HandoffForm,
    MetForm,
    NeedsCheckForm,
)
from sheets.network.models import Handoff, HandoffItem, HandoffStatus, NeedsCheck
from sheets.printing.pdf import render_pdf

# Said where the receiver answers, and when an accept arrives past the consent's end.
CONSENT_ENDED = gettext_lazy(
    "The client's consent to this hand-off has ended, so it cannot be accepted and nothing was copied. "
    "Decline it, or ask the sending agency to send it again with the client's renewed consent."
)


# --- Needs check ----------------------------------------------------------------------------------


def _needs_check_form(request: HttpRequest, client, check: NeedsCheck | None) -> HttpResponse:
    form = NeedsCheckForm(request.POST or None, client=client, instance=check)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.needs_check_save(
                client=client, by=request.user, needs_check=check, **{k: form.cleaned_data[k] for k in form.fields}
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The needs check was saved."))
            return redirect("needs_check_detail", client_uuid=client.uuid, check_uuid=check.uuid)
    return render(
        request,
        "sheets/network/needs_check_form.html",
        {"form": form, "client": client, "check": check},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COUNSELOR)
@private
def needs_check_create(request: HttpRequest, client_uuid) -> HttpResponse:
    client = get_client_for_user(request.user, client_uuid)
    return _needs_check_form(request, client, None)


@role_required(Role.COUNSELOR)
@private
def needs_check_edit(request: HttpRequest, client_uuid, check_uuid) -> HttpResponse:
    check = get_needs_check_for_user(request.user, client_uuid, check_uuid)
    return _needs_check_form(request, check.client, check)


@role_required(Role.COUNSELOR)
@private
def needs_check_detail(request: HttpRequest, client_uuid, check_uuid) -> HttpResponse:
    check = get_needs_check_for_user(request.user, client_uuid, check_uuid)
    record_access(by=request.user, action="needs_check.view", target=check)
    return render(
        request,
        "sheets/network/needs_check_detail.html",
        {"client": check.client, "check": check, **selectors.needs_check_suggestions(request.user, check)},
    )


@role_required(Role.COUNSELOR)
def needs_check_pdf(request: HttpRequest, client_uuid, check_uuid) -> HttpResponse:
    """The needs check, printed for the client's own file (agency-private; audited)."""
    check = get_needs_check_for_user(request.user, client_uuid, check_uuid)
    record_access(by=request.user, action="needs_check.print", target=check)
    html = render_to_string(
        "sheets/network/print/needs_check.html",
        {
            "client": check.client,
            "check": check,
            "show_health": check.client.has_sensitive_consent,
            "printed_on": timezone.localdate(),
            **selectors.needs_check_suggestions(request.user, check),
        },
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{check.client.code}_{check.checked_on}.pdf")
    response["Cache-Control"] = PRIVATE
    return response


# --- Hand-offs ------------------------------------------------------------------------------------


@agency_role_required(Role.COUNSELOR)
@private
def handoff_list(request: HttpRequest) -> HttpResponse:
    """受信（inbox）and 送信（sent）: the acting agency's hand-offs, with their steps."""
    return render(
        request,
        "sheets/network/handoff_list.html",
        {
            "inbox": selectors.mark_late(request.user, selectors.inbox(request.user)[:100]),
            "sent": selectors.mark_late(request.user, selectors.sent(request.user)[:100]),
            "agency": acting_membership(request.user).agency,
        },
    )


@role_required(Role.COUNSELOR)
@private
def handoff_create(request: HttpRequest, client_uuid) -> HttpResponse:
    """「他の機関につなぐ」 from the client page."""
    client = get_client_for_user(request.user, client_uuid)
    form = HandoffForm(request.POST or None, user=request.user, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handoff = services.handoff_send(
                client=client,
                by=request.user,
                to_agency=data["to_agency"],
                items=data["items"],
                introduction=data["introduction"],
                needs_check=form.needs_check,
                note=data["note"],
                consent_given_by=data["consent_given_by"],
                consent_on=data["consent_on"],
                consent_method=data["consent_method"],
                consent_until=data["consent_until"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The hand-off was sent to %(agency)s.") % {"agency": handoff.to_agency.name})
            return redirect("handoff_detail", handoff_uuid=handoff.uuid)
    return render(
        request,
        "sheets/network/handoff_form.html",
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


def _side(request: HttpRequest, handoff: Handoff) -> str:
    membership = acting_membership(request.user)
    return "receiver" if membership is not None and membership.agency_id == handoff.to_agency_id else "sender"


@role_required(Role.COUNSELOR)
@private
def handoff_detail(request: HttpRequest, handoff_uuid) -> HttpResponse:
    return _handoff_page(request, get_handoff_for_user(request.user, handoff_uuid))


def _handoff_page(request: HttpRequest, handoff, *, decline_form=None, met_form=None) -> HttpResponse:
    """The hand-off, and its answer forms: sent back with their errors next to the field (400)."""
    services.record_handoff_view(by=request.user, handoff=handoff)
    side = _side(request, handoff)
    items = services.shareable_items(handoff)
    # The receiver sees the consented items until it accepts (then its own client record holds
    # them) and while the consent lasts: past its end date nothing more is provided.
    consent_ended = handoff.consent_has_ended(timezone.localdate())
    open_to_receiver = handoff.status == HandoffStatus.SENT and not consent_ended
    shown = items if side == "sender" or open_to_receiver else set()
    # The note goes with the items; once accepted it was provided, like what the receiver copied.
    note_shown = side == "sender" or open_to_receiver or handoff.status in (HandoffStatus.ACCEPTED, HandoffStatus.MET)
    introduction = handoff.introduction if shown & set(services.ITEM_FIELDS) else None
    return render(
        request,
        "sheets/network/handoff_detail.html",
        {
            "handoff": handoff,
            "side": side,
            "note_shown": note_shown,
            "shown": {key: key in shown for key in HandoffItem.values},
            "item_labels": [label for key, label in HandoffItem.choices if key in handoff.items],
            "introduction_sections": selectors.handoff_sections(introduction, shown) if introduction else [],
            "needs_check": handoff.needs_check if HandoffItem.NEEDS_CHECK in shown else None,
            "late": handoff.status == HandoffStatus.SENT and handoff.sent_on <= services.overdue_before(),
            "consent_ended": consent_ended,
            "consent_ended_text": CONSENT_ENDED,
            "decline_form": decline_form or DeclineForm(),
            "met_form": met_form or MetForm(),
        },
        status=400 if decline_form or met_form else 200,
    )


def _answer(request: HttpRequest, handoff_uuid, side: str) -> Handoff:
    handoff = get_handoff_for_user(request.user, handoff_uuid)
    if _side(request, handoff) != side:
        raise PermissionDenied
    return handoff


def _state_error(request: HttpRequest, handoff: Handoff) -> HttpResponse:
    messages.error(request, _("This hand-off was already answered or withdrawn. The page shows where it is now."))
    return redirect("handoff_detail", handoff_uuid=handoff.uuid)


@require_POST
@role_required(Role.COUNSELOR)
def handoff_accept(request: HttpRequest, handoff_uuid) -> HttpResponse:
    handoff = _answer(request, handoff_uuid, "receiver")
    try:
        handoff = services.handoff_accept(handoff=handoff, by=request.user)
    except services.HandoffStateError:
        return _state_error(request, handoff)
    except services.ConsentEnded:
        messages.error(request, CONSENT_ENDED)
        return redirect("handoff_detail", handoff_uuid=handoff.uuid)
    messages.success(
        request,
        _("The hand-off was accepted: client %(code)s was registered with the consented items.")
        % {"code": handoff.received_client.code},
    )
    return redirect("handoff_detail", handoff_uuid=handoff.uuid)


@require_POST
@role_required(Role.COUNSELOR)
@private
def handoff_decline(request: HttpRequest, handoff_uuid) -> HttpResponse:
    handoff = _answer(request, handoff_uuid, "receiver")
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.handoff_decline(handoff=handoff, by=request.user, reason=form.cleaned_data["reason"])
        except services.HandoffStateError:
            return _state_error(request, handoff)
        messages.info(request, _("The hand-off was declined. The sending agency sees your reason."))
        return redirect("handoff_detail", handoff_uuid=handoff.uuid)
    return _handoff_page(request, handoff, decline_form=form)


@require_POST
@role_required(Role.COUNSELOR)
def handoff_met(request: HttpRequest, handoff_uuid) -> HttpResponse:
    handoff = _answer(request, handoff_uuid, "receiver")
    form = MetForm(request.POST)
    if form.is_valid():
        try:
            services.handoff_met(handoff=handoff, by=request.user, met_on=form.cleaned_data["met_on"])
        except services.HandoffStateError:
            return _state_error(request, handoff)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The first meeting was recorded."))
            return redirect("handoff_detail", handoff_uuid=handoff.uuid)
    return _handoff_page(request, handoff, met_form=form)


@require_POST
@role_required(Role.COUNSELOR)
def handoff_withdraw(request: HttpRequest, handoff_uuid) -> HttpResponse:
    """The client withdrew consent: recorded by the sending agency."""
    handoff = _answer(request, handoff_uuid, "sender")
    if not confirmed(request) and handoff.consent_withdrawn_on is None:
        agency = {"agency": handoff.to_agency.name}
        return confirmation(
            request,
            title=_("Record that the client withdrew their consent to this hand-off?"),
            consequences=[
                _(
                    "Not accepted yet: the hand-off is cancelled; %(agency)s can no longer accept it and sees "
                    "nothing more of it."
                )
                % agency
                if handoff.status == HandoffStatus.SENT
                else _("Already accepted: the withdrawal is recorded and %(agency)s is told.") % agency,
                _("This cannot be undone: to hand the client over again, send a new hand-off with a new consent."),
            ],
            confirm_label=_("Record the withdrawal"),
            cancel_url=reverse("handoff_detail", args=[handoff.uuid]),
        )
    handoff = services.handoff_withdraw_consent(handoff=handoff, by=request.user)
    if handoff.status == HandoffStatus.CANCELLED:
        messages.info(request, _("The consent was withdrawn and the hand-off cancelled."))
    else:
        messages.info(request, _("The withdrawal was recorded and the receiving agency was told."))
    return redirect("handoff_detail", handoff_uuid=handoff.uuid)


# --- The agency directory -----------------------------------------------------------------------


def _directory_search(request: HttpRequest) -> tuple[DirectorySearchForm, list]:
    membership = acting_membership(request.user)
    regions = Region.objects.filter(agencies__in=directory_agencies(request.user)).distinct().order_by("code")
    if membership is not None:
        regions = Region.objects.filter(prefecture_id=membership.agency.region.prefecture_id).order_by("code")
    form = DirectorySearchForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    agencies = selectors.directory(
        request.user, kind=filters.get("kind", ""), region=filters.get("region"), query=filters.get("q", "")
    )
    return form, agencies


@role_required(Role.COUNSELOR)
def agency_directory(request: HttpRequest) -> HttpResponse:
    """機関ガイド: the agencies of the prefecture and what each offers."""
    form, agencies = _directory_search(request)
    membership = acting_membership(request.user)
    return render(
        request,
        "sheets/network/agency_directory.html",
        {
            "form": form,
            "agencies": agencies,
            "query_string": request.GET.urlencode(),
            "may_edit": membership is not None and membership.has_role(Role.AGENCY_ADMIN),
        },
    )


@role_required(Role.COUNSELOR)
def agency_directory_pdf(request: HttpRequest) -> HttpResponse:
    """The directory (as searched) as a printable list for the region."""
    form, agencies = _directory_search(request)
    html = render_to_string(
        "sheets/network/print/agency_directory.html",
        {"agencies": agencies, "printed_on": timezone.localdate(), "form": form},
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{_('Agency directory')}.pdf")
    return response


@role_required(Role.COUNSELOR)
def agency_detail(request: HttpRequest, agency_uuid) -> HttpResponse:
    agency = get_directory_agency_for_user(request.user, agency_uuid)
    membership = acting_membership(request.user)
    return render(
        request,
        "sheets/network/agency_detail.html",
        {
            "agency": agency,
            "programs": list(selectors.agency_programs(request.user, agency)[:50]),
            "may_edit": membership is not None
            and membership.agency_id == agency.pk
            and membership.has_role(Role.AGENCY_ADMIN),
            "may_hand_over": membership is not None and membership.agency_id != agency.pk and agency.accepts_handoffs,
        },
    )


@agency_role_required(Role.AGENCY_ADMIN)
def agency_profile_edit(request: HttpRequest) -> HttpResponse:
    """The acting agency's directory entry, kept by its agency admin."""
    agency = acting_membership(request.user).agency
    form = AgencyProfileForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_profile_update(
                agency=agency, by=request.user, **{name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The directory entry was saved."))
            return redirect("agency_detail", agency_uuid=agency.uuid)
    return render(
        request,
        "sheets/network/agency_form.html",
        {"form": form, "agency": agency},
        status=400 if request.method == "POST" else 200,
    )


# --- Referral notices to the program's agency -----------------------------------------------------


@agency_role_required(Role.COUNSELOR)
@private
def referral_notices(request: HttpRequest) -> HttpResponse:
    """Other agencies' referrals to this agency's programs: program, dates, referring agency."""
    return render(
        request,
        "sheets/network/referral_notices.html",
        {"notices": list(selectors.referral_notices(request.user)[:100])},
    )


@require_POST
@role_required(Role.COUNSELOR)
def referral_notice_confirm(request: HttpRequest, referral_uuid) -> HttpResponse:
    referral = get_incoming_referral_for_user(request.user, referral_uuid)
    try:
        services.referral_host_confirm(referral=referral, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The date was confirmed. The referring agency sees it."))
    return redirect("referral_notices")
