"""Screens for clients, self-introductions, consent, matching and referrals (the employer's
copy of a self-introduction prints through sheets/printing/views.py).

Every page that shows a client's data goes through a door in sheets/clients/access.py (another
agency's client → 404) and writes one audit entry (sheets.clients.services.record_access). Responses
are `private, no-store`: client data is never kept by a cache or the back button."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry.access import agency_role_required, role_required
from registry.forms import add_service_error
from registry.http import PRIVATE, confirmation, confirmed, private, query_text
from registry.models import Role, acting_membership
from registry.services import StaleEditError
from sheets.clients import services
from sheets.clients.access import get_client_for_user, get_introduction_for_user, get_referral_for_user
from sheets.clients.forms import (
    CancelForm,
    ClientForm,
    CompleteForm,
    ConsentForm,
    ErasureForm,
    FeedbackForm,
    IntroductionForm,
    OutcomeForm,
    ScheduleForm,
    SensitiveConsentForm,
)
from sheets.clients.models import Client, ReferralStatus, SelfIntroduction, SharingConsent
from sheets.clients.ranking import ranked_programs
from sheets.clients.selectors import clients_matching, introduction_dimensions
from sheets.dimensions import DIMENSIONS
from sheets.programs.access import get_program_for_user

PAGE_SIZE = 25
MATCHES_PER_PAGE = 25
# What a match card shows of its program (sheets/clients/matches.html): the rest of a program row is not read.
MATCH_CARD_FIELDS = ("uuid", "title", "engagement_type", "employer__name", "employer__region__name")
STALE = gettext_lazy(
    "Someone else saved this while you were editing. Nothing was overwritten: reload the page and enter it again."
)


# --- Clients -------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@private
def client_list(request: HttpRequest) -> HttpResponse:
    """The acting agency's clients. Platform admins without an agency see none: personal data
    is the agency's, not the platform's."""
    query = query_text(request, "q")
    clients = clients_matching(Client.objects.for_user(request.user), query)
    clients = clients.annotate(
        introduction_count=Count("introductions", distinct=True),
        open_referrals=Count(
            "referrals",
            filter=Q(referrals__status__in=[ReferralStatus.PROPOSED, ReferralStatus.SCHEDULED]),
            distinct=True,
        ),
        last_referral=Max("referrals__proposed_on"),
    ).order_by("-created_at")
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sheets/clients/client_list.html",
        {"page": page, "query": query, "membership": acting_membership(request.user)},
    )


@agency_role_required(Role.COUNSELOR)
@private
def client_create(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = services.client_create(
            agency=acting_membership(request.user).agency,
            by=request.user,
            preferred_name=form.cleaned_data["preferred_name"],
        )
        messages.success(request, _("The client was registered as %(code)s.") % {"code": client.code})
        return redirect("introduction_create", client_uuid=client.uuid)
    return render(
        request, "sheets/clients/client_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@role_required(Role.COUNSELOR)
@private
def client_detail(request: HttpRequest, client_uuid) -> HttpResponse:
    client = get_client_for_user(request.user, client_uuid)
    form = ClientForm(request.POST or None, instance=client, prefix="client")
    if request.method == "POST" and form.is_valid():
        services.client_rename(client=client, by=request.user, preferred_name=form.cleaned_data["preferred_name"])
        messages.success(request, _("The changes were saved."))
        return redirect("client_detail", client_uuid=client.uuid)
    return _client_page(request, client, form=form)


def _client_page(request: HttpRequest, client: Client, *, form=None, consent_form=None) -> HttpResponse:
    """The client's page; a form sent back with its errors next to the field (400)."""
    services.record_access(by=request.user, action="client.view", target=client)
    introductions = list(client.introductions.order_by("-created_at"))
    referrals = list(client.referrals.select_related("program__employer").order_by("-proposed_on", "-created_at"))
    return render(
        request,
        "sheets/clients/client_detail.html",
        {
            "client": client,
            "form": form if form is not None else ClientForm(instance=client, prefix="client"),
            "introductions": introductions,
            "referrals": referrals,
            "consent_form": consent_form if consent_form is not None else SensitiveConsentForm(client=client),
            "may_erase": services.may_erase(request.user, client.agency_id),
        },
        status=400 if request.method == "POST" else 200,
    )


def _erasable_client(request: HttpRequest, client_uuid) -> Client:
    """Another agency's client: 404 (as everywhere); a colleague without the role: 403."""
    client = get_client_for_user(request.user, client_uuid)
    if not services.may_erase(request.user, client.agency_id):
        raise PermissionDenied
    return client


def _erasure_page(request: HttpRequest, client: Client, form: ErasureForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "sheets/clients/client_erase.html",
        {
            "client": client,
            "form": form,
            "introduction_count": client.introductions.count(),
            "consent_count": SharingConsent.objects.filter(introduction__client=client).count(),
            "referral_count": client.referrals.count(),
            "needs_check_count": client.needs_checks.count(),
            "handoff_count": client.handoffs.count(),
        },
        status=status,
    )


@role_required(Role.COUNSELOR)
@private
def client_erase_confirm(request: HttpRequest, client_uuid) -> HttpResponse:
    """本人の求めによる削除: what will be removed and what is kept, before the POST."""
    client = _erasable_client(request, client_uuid)
    return _erasure_page(request, client, ErasureForm())


@require_POST
@role_required(Role.COUNSELOR)
@private
def client_erase(request: HttpRequest, client_uuid) -> HttpResponse:
    client = _erasable_client(request, client_uuid)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _erasure_page(request, client, form, status=400)
    removed = services.client_erase(client=client, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _(
            "The client's data was erased: %(forms)d form(s), %(referrals)d referral(s). "
            "Programs keep the outcome counts as anonymous numbers."
        )
        % {"forms": removed["introductions"], "referrals": removed["referrals"]},
    )
    return redirect("client_list")


@require_POST
@role_required(Role.COUNSELOR)
def sensitive_consent(request: HttpRequest, client_uuid) -> HttpResponse:
    """Record (or, with `withdraw`, withdraw) the consent to hold health notes."""
    client = get_client_for_user(request.user, client_uuid)
    if "withdraw" in request.POST and not confirmed(request):
        notes = (
            client.introductions.exclude(health_notes="").count()
            + client.needs_checks.exclude(health_constraints="").count()
        )
        return confirmation(
            request,
            title=_("Withdraw the consent to hold health notes of %(code)s?") % {"code": client.code},
            consequences=[
                _(
                    "The health or disability notes in %(n)d form(s) of this client (self-introductions, needs "
                    "checks) are erased for good."
                )
                % {"n": notes},
                _("They cannot be restored: to write them again, record a new consent first."),
                _("Forms printed earlier are not recalled by the registry."),
            ],
            confirm_label=_("Withdraw the consent and erase the notes"),
            cancel_url=reverse("client_detail", args=[client.uuid]),
            fields={"withdraw": "1"},
        )
    if "withdraw" in request.POST:
        erased = services.sensitive_consent_withdraw(client=client, by=request.user)
        messages.info(
            request,
            _(
                "The consent was withdrawn. Health notes were erased from %(n)d form(s) "
                "(self-introductions, needs checks)."
            )
            % {"n": erased},
        )
        return redirect("client_detail", client_uuid=client.uuid)
    form = SensitiveConsentForm(request.POST, client=client)
    if form.is_valid():
        try:
            services.sensitive_consent_record(client=client, by=request.user, given_on=form.cleaned_data["given_on"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The consent to hold health notes was recorded."))
            return redirect("client_detail", client_uuid=client.uuid)
    return _client_page(request, client, consent_form=form)


# --- Self-introductions ----------------------------------------------------------------------


@role_required(Role.COUNSELOR)
@private
def introduction_create(request: HttpRequest, client_uuid) -> HttpResponse:
    client = get_client_for_user(request.user, client_uuid)
    latest = client.introductions.order_by("-created_at").first()
    initial = {"preferred_name": client.preferred_name, "counselor_name": request.user.name}
    form = IntroductionForm(
        request.POST or None, client=client, instance=SelfIntroduction(client=client), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.introduction_create(client=client, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The self-introduction form was saved."))
            return redirect("introduction_detail", client_uuid=client.uuid, introduction_uuid=introduction.uuid)
    return render(
        request,
        "sheets/clients/introduction_form.html",
        {"form": form, "client": client, "introduction": None, "latest": latest},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.COUNSELOR)
@private
def introduction_detail(request: HttpRequest, client_uuid, introduction_uuid) -> HttpResponse:
    introduction = get_introduction_for_user(request.user, client_uuid, introduction_uuid)
    services.record_access(by=request.user, action="introduction.view", target=introduction)
    today = timezone.localdate()
    consents = list(introduction.consents.select_related("employer", "program", "recorded_by", "withdrawn_by"))
    return render(
        request,
        "sheets/clients/introduction_detail.html",
        {
            "client": introduction.client,
            "introduction": introduction,
            "dimensions": introduction_dimensions(introduction),
            "regions": list(introduction.regions.all()),
            "consents": [{"consent": c, "active": c.is_active(today)} for c in consents],
        },
    )


@role_required(Role.COUNSELOR)
@private
def introduction_edit(request: HttpRequest, client_uuid, introduction_uuid) -> HttpResponse:
    introduction = get_introduction_for_user(request.user, client_uuid, introduction_uuid)
    client = introduction.client
    form = IntroductionForm(request.POST or None, client=client, instance=introduction)
    if request.method == "POST" and form.is_valid():
        try:
            services.introduction_update(
                introduction=introduction,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
        except StaleEditError:
            form.add_error(None, STALE)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("introduction_detail", client_uuid=client.uuid, introduction_uuid=introduction.uuid)
    else:
        services.record_access(by=request.user, action="introduction.view", target=introduction, edit=True)
    return render(
        request,
        "sheets/clients/introduction_form.html",
        {"form": form, "client": client, "introduction": introduction},
        status=400 if request.method == "POST" else 200,
    )


# --- Consent and the employer's PDF -----------------------------------------------------------


@role_required(Role.COUNSELOR)
@private
def consent_create(request: HttpRequest, client_uuid, introduction_uuid) -> HttpResponse:
    introduction = get_introduction_for_user(request.user, client_uuid, introduction_uuid)
    client = introduction.client
    initial = {}
    if request.GET.get("program"):
        try:
            program = get_program_for_user(request.user, request.GET["program"])
        except (Http404, ValidationError):
            program = None
        if program is not None:
            initial = {"program": program.pk, "employer": program.employer_id}
    form = ConsentForm(request.POST or None, user=request.user, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                introduction=introduction,
                by=request.user,
                employer=data["employer"],
                program=data["program"],
                sections=data["sections"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("introduction_detail", client_uuid=client.uuid, introduction_uuid=introduction.uuid)
    return render(
        request,
        "sheets/clients/consent_form.html",
        {"form": form, "client": client, "introduction": introduction},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(Role.COUNSELOR)
def consent_withdraw(request: HttpRequest, client_uuid, introduction_uuid, consent_uuid) -> HttpResponse:
    introduction = get_introduction_for_user(request.user, client_uuid, introduction_uuid)
    consent = introduction.consents.filter(uuid=consent_uuid).first()
    if consent is None:
        raise Http404
    if not confirmed(request):
        employer = {"employer": consent.employer.name}
        return confirmation(
            request,
            title=_("Withdraw the consent to share with %(employer)s?") % employer,
            consequences=[
                _("From today the form can no longer be printed for %(employer)s.") % employer,
                _("The consent stays on record as withdrawn; to share again, record a new consent."),
                _(
                    "Copies already handed to the employer are not recalled by the registry: if the client wishes, "
                    "ask the employer to return or destroy them."
                ),
            ],
            confirm_label=_("Withdraw the consent"),
            cancel_url=reverse("introduction_detail", args=[client_uuid, introduction_uuid]),
        )
    services.consent_withdraw(consent=consent, by=request.user)
    messages.info(request, _("The consent was withdrawn. The form can no longer be printed for this employer."))
    return redirect("introduction_detail", client_uuid=client_uuid, introduction_uuid=introduction_uuid)


# --- Matching ------------------------------------------------------------------------------


def _matching_conditions(introduction: SelfIntroduction) -> list[tuple[str, str]]:
    """What the form says that the ranking reads (sheets/clients/ranking.client_profile) — when,
    where, what, confidence, what to try, accommodations, interests — shown above the reasons so
    that a counselor can check a reason without opening the form."""
    fields = SelfIntroduction._meta
    hours = ""
    if introduction.available_from or introduction.available_until:
        start, end = introduction.available_from, introduction.available_until
        hours = f"{start:%-H:%M}" if start else ""
        hours += f"〜{end:%-H:%M}" if end else "〜"
    rated = (row for row in introduction_dimensions(introduction) if row["confidence"] is not None)

    def labels(name: str) -> str:
        return "・".join(fields.get_field(name).choice_labels(getattr(introduction, name)))

    return [
        (str(fields.get_field(name).verbose_name) if name else _("hours I can come"), value or _("(not written)"))
        for name, value in (
            ("days", labels("days")),
            (None, hours),
            ("regions", "・".join(region.name for region in introduction.regions.all())),
            ("engagement_types", labels("engagement_types")),
            ("confidence", "、".join(f"{row['label']} {row['confidence']}" for row in rated)),
            ("want_to_confirm", labels("want_to_confirm")),
            ("accommodations", labels("accommodations")),
            ("interest_tags", labels("interest_tags")),
        )
    ]


@role_required(Role.COUNSELOR)
@private
def client_matches(request: HttpRequest, client_uuid) -> HttpResponse:
    client = get_client_for_user(request.user, client_uuid)
    # Regions prefetched: ranking reads the chosen form's areas, and the page shows them.
    introductions = list(client.introductions.prefetch_related("regions").order_by("-created_at"))
    wanted = request.GET.get("introduction")
    introduction = next(
        (i for i in introductions if str(i.uuid) == wanted), introductions[0] if introductions else None
    )
    # The page's programs are loaded with whether each was proposed already: no query of its own.
    live_referrals = client.referrals.exclude(status=ReferralStatus.CANCELLED).filter(program=OuterRef("pk"))
    proposed_flag = {"proposed": Exists(live_referrals)}
    matches = (
        ranked_programs(introduction, request.user, page_annotations=proposed_flag, page_fields=MATCH_CARD_FIELDS)
        if introduction
        else []
    )
    services.record_access(
        by=request.user,
        action="client.matches",
        target=client,
        introduction=str(introduction.uuid) if introduction else "",
        programs=len(matches),
    )
    # All are ranked, by numbers; only a page of them is loaded, put into words and rendered: a
    # prefecture's hundreds of cards took seconds, and their words most of what was left.
    page = Paginator(matches, MATCHES_PER_PAGE).get_page(request.GET.get("page"))
    proposed = {m.key.pk for m in page.object_list if m.key.proposed}
    return render(
        request,
        "sheets/clients/matches.html",
        {
            "client": client,
            "introduction": introduction,
            "conditions": _matching_conditions(introduction) if introduction else [],
            "introductions": introductions,
            "matches": page.object_list,
            "match_count": len(matches),
            "page": page,
            "query": urlencode({"introduction": introduction.uuid}) if introduction else "",
            "proposed": proposed,
        },
    )


# --- Referrals -------------------------------------------------------------------------------


@require_POST
@role_required(Role.COUNSELOR)
def referral_create(request: HttpRequest, client_uuid) -> HttpResponse:
    client = get_client_for_user(request.user, client_uuid)
    try:
        program = get_program_for_user(request.user, request.POST.get("program", ""))
    except ValidationError as error:
        raise Http404 from error
    introduction = client.introductions.filter(uuid=request.POST.get("introduction") or None).first()
    referral = services.referral_propose(client=client, program=program, by=request.user, introduction=introduction)
    messages.success(request, _("The referral was proposed. Next: agree the dates with the employer."))
    return redirect("referral_detail", referral_uuid=referral.uuid)


def _referral_context(request: HttpRequest, referral, **forms) -> dict:
    user = request.user
    introduction = referral.introduction or referral.client.introductions.order_by("-created_at").first()
    return {
        "referral": referral,
        "client": referral.client,
        "introduction": introduction,
        "consents": list(
            introduction.consents.active_on(timezone.localdate()).filter(employer=referral.program.employer_id)
        )
        if introduction
        else [],
        "schedule_form": forms.get("schedule")
        or ScheduleForm(prefix="schedule", initial=_dates(referral), referral=referral),
        "complete_form": forms.get("complete") or CompleteForm(prefix="complete", referral=referral),
        "cancel_form": forms.get("cancel") or CancelForm(prefix="cancel"),
        "feedback_form": forms.get("feedback") or FeedbackForm(prefix="feedback", referral=referral),
        "outcome_form": forms.get("outcome") or OutcomeForm(prefix="outcome", referral=referral, user=user),
        "ratings": [
            {
                "label": info.label,
                "self": (referral.self_ratings or {}).get(info.key),
                "employer": (referral.employer_ratings or {}).get(info.key),
            }
            for info in DIMENSIONS
        ],
        "follow_ups": referral.follow_ups(),
        "today": timezone.localdate(),
    }


def _dates(referral) -> dict:
    return {"starts_on": referral.starts_on, "ends_on": referral.ends_on}


@role_required(Role.COUNSELOR)
@private
def referral_detail(request: HttpRequest, referral_uuid) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_uuid)
    services.record_access(by=request.user, action="referral.view", target=referral)
    return render(request, "sheets/clients/referral_detail.html", _referral_context(request, referral))


# Each step of a referral and what is said once it is saved.
REFERRAL_ACTIONS = {
    "schedule": gettext_lazy("The dates were saved."),
    "complete": gettext_lazy("It was recorded as done."),
    "cancel": gettext_lazy("The referral was cancelled."),
    "feedback": gettext_lazy("The reflection and feedback were saved."),
    "outcome": gettext_lazy("What followed was saved."),
}


def _run_referral_action(request: HttpRequest, referral, action: str):
    """(form, error): validates the action's form and calls its service."""
    data, by = request.POST, request.user
    if action == "schedule":
        form = ScheduleForm(data, prefix="schedule", referral=referral)
        call = lambda d: services.referral_schedule(referral=referral, by=by, **d)  # noqa: E731
    elif action == "complete":
        form = CompleteForm(data, prefix="complete", referral=referral)
        call = lambda d: services.referral_complete(referral=referral, by=by, **d)  # noqa: E731
    elif action == "cancel":
        form = CancelForm(data, prefix="cancel")
        call = lambda d: services.referral_cancel(referral=referral, by=by, reason=d["reason"])  # noqa: E731
    elif action == "feedback":
        form = FeedbackForm(data, prefix="feedback", referral=referral)
        call = lambda d: services.referral_feedback(referral=referral, by=by, **form.service_fields())  # noqa: E731
    else:
        form = OutcomeForm(data, prefix="outcome", referral=referral, user=by)
        call = lambda d: services.referral_outcome(referral=referral, by=by, **d)  # noqa: E731
    if form.is_valid():
        try:
            call(dict(form.cleaned_data))
        except services.TransitionNotAllowed:
            form.add_error(None, _("This step is not possible in the referral's current state."))
        except ValidationError as error:
            add_service_error(form, error)
    return form


@require_POST
@role_required(Role.COUNSELOR)
def referral_action(request: HttpRequest, referral_uuid, action: str) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_uuid)
    if action not in REFERRAL_ACTIONS:
        raise Http404
    form = _run_referral_action(request, referral, action)
    if not form.errors:
        messages.success(request, REFERRAL_ACTIONS[action])
        return redirect("referral_detail", referral_uuid=referral.uuid)
    referral.refresh_from_db()
    response = render(
        request,
        "sheets/clients/referral_detail.html",
        _referral_context(request, referral, **{action: form}),
        status=400,
    )
    response["Cache-Control"] = PRIVATE
    return response
