from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from registry import services
from registry.access import (
    agency_role_required,
    can_edit_employer,
    get_employer_for_user,
    get_invitation_for_admin,
    get_membership_for_admin,
    get_own_membership,
    require_acting_membership,
    role_required,
)
from registry.audit_labels import action_label
from registry.extensions import EMPLOYER, HOME, sections_for, visit_links_for
from registry.filters import AuditFilter, EmployerFilter
from registry.forms import AgencySwitchForm, EmployerForm, InviteForm, RoleForm, VisitForm
from registry.http import StaffRequest, confirmation, confirmed
from registry.middleware import renew_session_now
from registry.models import (
    ACTING_AGENCY_SESSION_KEY,
    AuditEntry,
    Employer,
    EmployerVisit,
    Membership,
    Role,
    User,
    acting_membership,
    memberships_of,
)
from registry.selectors import dashboard_context, pending_invitations

PAGE_SIZE = 25


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Load balancers call this: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def dashboard(request: StaffRequest) -> HttpResponse:
    context = dashboard_context(request.user) | {"sections": sections_for(HOME, request)}
    return render(request, "registry/dashboard.html", context)


@require_POST
@login_required
def agency_switch(request: StaffRequest) -> HttpResponse:
    form = AgencySwitchForm(request.POST)
    mine = {str(m.agency.uuid): m for m in memberships_of(request.user)}
    if not form.is_valid() or str(form.cleaned_data["agency"]) not in mine:
        raise Http404
    membership = mine[str(form.cleaned_data["agency"])]
    request.session[ACTING_AGENCY_SESSION_KEY] = membership.agency_id
    services.remember_acting_agency(user=request.user, agency_id=membership.agency_id)
    messages.success(request, _("You are now working for %(agency)s.") % {"agency": membership.agency.name})
    return redirect("dashboard")


# --- Employers ------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def employer_list(request: StaffRequest) -> HttpResponse:
    visible = Employer.objects.for_user(request.user).select_related("region__prefecture", "owner")
    employer_filter = EmployerFilter(request.GET, queryset=visible)
    page = Paginator(employer_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "registry/_partials/employer_results.html" if request.htmx else "registry/employer_list.html"
    return render(
        request,
        template,
        {"filter": employer_filter, "page": page, "query": query.urlencode(), "can_create": _can_create(request)},
    )


def _can_create(request: StaffRequest) -> bool:
    membership = acting_membership(request.user)
    return membership is not None and membership.has_role(Role.COORDINATOR)


@role_required(Role.COUNSELOR)
def employer_detail(request: StaffRequest, employer_uuid: UUID) -> HttpResponse:
    employer = get_employer_for_user(request.user, employer_uuid)
    can_edit = can_edit_employer(request.user, employer)
    return _render_employer_detail(request, employer, can_edit=can_edit, visit_form=VisitForm() if can_edit else None)


def _render_employer_detail(
    request: StaffRequest, employer: Employer, *, can_edit: bool, visit_form: VisitForm | None, status: int = 200
) -> HttpResponse:
    visits = list(employer.visits.select_related("recorded_by")[:50])
    links = visit_links_for(request, employer=employer, visits=visits)
    context = {
        "employer": employer,
        "can_edit": can_edit,
        "visits": [(visit, links.get(visit.pk, [])) for visit in visits],
        "visit_form": visit_form,
        "sections": sections_for(EMPLOYER, request, employer=employer),
    }
    return render(request, "registry/employer_detail.html", context, status=status)


@agency_role_required(Role.COORDINATOR)
def employer_create(request: StaffRequest) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    form = EmployerForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            employer = services.employer_create(owner=agency, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The employer was registered."))
            return redirect("employer_detail", employer_uuid=employer.uuid)
    return render(request, "registry/employer_form.html", {"form": form, "employer": None})


@role_required(Role.COUNSELOR)
def employer_edit(request: StaffRequest, employer_uuid: UUID) -> HttpResponse:
    employer = get_employer_for_user(request.user, employer_uuid, write=True)
    form = EmployerForm(request.POST or None, instance=employer, agency=employer.owner)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.employer_update(
                employer=employer, by=request.user, version=form.cleaned_data["version"] or 0, **fields
            )
        except services.StaleEditError:
            form.add_error(
                None,
                _(
                    "Someone else saved this employer while you were editing. Nothing was overwritten: "
                    "copy your changes, reload the page and enter them again."
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("employer_detail", employer_uuid=employer.uuid)
    return render(request, "registry/employer_form.html", {"form": form, "employer": employer})


@require_POST
@role_required(Role.COUNSELOR)
def employer_archive(request: StaffRequest, employer_uuid: UUID) -> HttpResponse:
    employer = get_employer_for_user(request.user, employer_uuid, write=True)
    active = request.POST.get("restore") == "1"
    services.employer_set_active(employer=employer, by=request.user, active=active)
    messages.success(request, _("The employer was restored.") if active else _("The employer was archived."))
    return redirect("employer_detail", employer_uuid=employer.uuid)


@require_POST
@role_required(Role.COUNSELOR)
def visit_create(request: StaffRequest, employer_uuid: UUID) -> HttpResponse:
    employer = get_employer_for_user(request.user, employer_uuid, write=True)
    form = VisitForm(request.POST)
    if form.is_valid():
        visit = services.visit_create(employer=employer, by=request.user, **form.cleaned_data)
        messages.success(request, _recorded_message(request, employer, visit))
        return redirect(reverse("employer_detail", kwargs={"employer_uuid": employer.uuid}) + f"#visit-{visit.uuid}")
    return _render_employer_detail(request, employer, can_edit=True, visit_form=form, status=400)


def _recorded_message(request: StaffRequest, employer: Employer, visit: EmployerVisit) -> str:
    """ "Recorded", and the next step when an app offers one (making the task breakdown sheet
    from this visit): where the user is looking, so the date and visitors are not typed twice."""
    done = _("The visit was recorded.")
    step = next(
        (
            link
            for link in visit_links_for(request, employer=employer, visits=[visit]).get(visit.pk, [])
            if link.next_step
        ),
        None,
    )
    if step is None:
        return done
    return format_html('{} {} <a href="{}">{}</a>', done, _("Next step:"), step.url, step.label)


# --- Agency staff -----------------------------------------------------------------------------


@agency_role_required(Role.AGENCY_ADMIN)
def staff_list(request: StaffRequest) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    invitations = pending_invitations(agency)
    # A new account's membership is shown as its invitation until the person sets a password.
    invited = [invitation.membership.pk for invitation in invitations if invitation.membership is not None]
    memberships = (
        Membership.objects.filter(agency=agency)
        .exclude(pk__in=invited)
        .select_related("user")
        .order_by("-is_active", "user__name_kana")
    )
    return render(
        request,
        "registry/staff_list.html",
        {
            "agency": agency,
            "memberships": memberships,
            "invitations": invitations,
            "valid_days": settings.INVITATION_VALID_DAYS,
            "roles": Role.choices,
            "invite_form": InviteForm(),
        },
    )


@agency_role_required(Role.AGENCY_ADMIN)
def staff_invite(request: StaffRequest) -> HttpResponse:
    agency = require_acting_membership(request.user).agency
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.staff_invite(agency=agency, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _send_invitation(request, invitation)
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.user.email})
            return redirect("staff_list")
    return render(request, "registry/staff_invite.html", {"form": form, "agency": agency})


def _send_invitation(request: StaffRequest, invitation: services.Invitation) -> None:
    """New account: a link to set a password. Existing account: a link to accept or decline,
    which names who invites and for which agency; no membership exists before it is accepted.
    The page says the same for both (it must not tell who has an account)."""
    user, agency = invitation.user, invitation.agency
    days = settings.INVITATION_VALID_DAYS
    if invitation.created_user:
        link = request.build_absolute_uri(reverse("invitation_accept", args=[services.invitation_token(user)]))
        body = _(
            "%(name)s, you have been invited to the work-information registry by %(agency)s.\n"
            "Open this link within %(days)s days to set your password:\n%(link)s"
        ) % {"name": user.name, "agency": agency.name, "days": days, "link": link}
    else:
        token = services.membership_invitation_token(invitation)
        link = request.build_absolute_uri(reverse("membership_invitation", args=[token]))
        body = _(
            "%(name)s, %(inviter)s invites you to work for %(agency)s in the work-information registry.\n"
            "Nothing changes until you accept. Log in and open this link within %(days)s days to accept "
            "or decline:\n%(link)s"
        ) % {"name": user.name, "inviter": invitation.by.name, "agency": agency.name, "days": days, "link": link}
    send_mail(_("Invitation to the work-information registry"), body, None, [user.email])


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def staff_invitation_resend(request: StaffRequest, user_uuid: UUID) -> HttpResponse:
    invitation = get_invitation_for_admin(request.user, user_uuid)
    try:
        sent = services.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _send_invitation(request, sent)
        messages.success(
            request,
            _("The invitation was sent again to %(email)s. The link in earlier mails no longer works.")
            % {"email": sent.user.email},
        )
    return redirect("staff_list")


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def staff_invitation_cancel(request: StaffRequest, user_uuid: UUID) -> HttpResponse:
    invitation = get_invitation_for_admin(request.user, user_uuid)
    email, agency = invitation.user.email, invitation.agency.name
    if not confirmed(request):
        # The same words for a new and an existing account: the page must not tell which it is.
        return confirmation(
            request,
            title=_("Cancel the invitation of %(email)s?") % {"email": email},
            consequences=[
                _("The link in the invitation mail stops working, and %(email)s does not join %(agency)s.")
                % {"email": email, "agency": agency},
                _("If the address was mistyped, invite the person again with the right address."),
                _("The audit log keeps the invitation and its cancellation."),
            ],
            confirm_label=_("Cancel the invitation"),
            cancel_url=reverse("staff_list"),
        )
    try:
        services.invitation_cancel(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation of %(email)s was cancelled.") % {"email": email})
    return redirect("staff_list")


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def staff_role(request: StaffRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership_for_admin(request.user, membership_uuid)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("staff_list")
    try:
        services.membership_change_role(membership=membership, by=request.user, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role of %(name)s was changed.") % {"name": membership.user.name})
    return redirect("staff_list")


@require_POST
@agency_role_required(Role.AGENCY_ADMIN)
def staff_active(request: StaffRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership_for_admin(request.user, membership_uuid)
    active = request.POST.get("active") == "1"
    if not active and membership.is_active and not confirmed(request):
        try:
            services.ensure_an_admin_remains(membership, new_role=membership.role, active=False)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("staff_list")
        name = membership.user.name
        return confirmation(
            request,
            title=_("Deactivate %(name)s?") % {"name": name},
            consequences=[
                _("%(name)s can no longer use the registry for %(agency)s, from their next page view.")
                % {"name": name, "agency": membership.agency.name},
                _("What they recorded stays, and the audit log keeps their name."),
                _("You can reactivate them later from the staff list."),
            ],
            confirm_label=_("Deactivate %(name)s") % {"name": name},
            cancel_url=reverse("staff_list"),
            fields={"active": "0"},
        )
    try:
        services.membership_set_active(membership=membership, by=request.user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("%(name)s can use the registry again.") if active else _("%(name)s can no longer use the registry.")
        messages.success(request, text % {"name": membership.user.name})
    return redirect("staff_list")


# --- Accounts -------------------------------------------------------------------------------


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    user = services.invitation_user(token)
    if user is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.audit(by=user, agency=None, action="staff.invitation_accepted", target=user)
        messages.success(request, _("Your password was set. Please log in."))
        return redirect("login")
    return render(request, "registration/invitation_accept.html", {"form": form, "invited": user})


@never_cache
@login_required
def membership_invitation(request: StaffRequest, token: str) -> HttpResponse:
    """An existing account's invitation to another agency: who invites, for which agency and
    role; accept or decline. Only for the person invited, logged in as themselves."""
    invitation = services.membership_invitation(token, request.user)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    if request.method == "POST":
        if request.POST.get("answer") == "accept":
            services.membership_join(invitation=invitation)
            messages.success(
                request,
                _(
                    "You are now a member of %(agency)s. You keep working for your current agency until you "
                    "switch in the header."
                )
                % {"agency": invitation.agency.name},
            )
        else:
            services.membership_decline(invitation=invitation)
            messages.info(request, _("You declined the invitation of %(agency)s.") % {"agency": invitation.agency.name})
        return redirect("my_agencies")
    return render(request, "registration/membership_invitation.html", {"invitation": invitation})


@never_cache
@login_required
def my_agencies(request: StaffRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("agency").order_by("agency__name_kana")
    return render(
        request,
        "registration/my_agencies.html",
        {"memberships": memberships, "acting": acting_membership(request.user)},
    )


@require_POST
@login_required
def membership_leave(request: StaffRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_own_membership(request.user, membership_uuid)
    try:
        services.membership_leave(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You left %(agency)s.") % {"agency": membership.agency.name})
    return redirect("my_agencies")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


# --- Sessions and audit ------------------------------------------------------------------------


@login_required
def session_list(request: StaffRequest) -> HttpResponse:
    sessions = request.user.sessions.all()
    return render(
        request,
        "registration/session_list.html",
        {"sessions": sessions, "current_key": request.session.session_key},
    )


@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """「ログインを続ける」 on the idle-timeout warning: the session starts its idle time again.
    A session that has already ended answers 401, not the login page (which htmx would follow
    and take for a success): the warning then says it has ended."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    renew_session_now(request)
    return HttpResponse(status=204)


@require_POST
@login_required
def session_end_all(request: StaffRequest) -> HttpResponse:
    count = services.sessions_end_all(user=request.user, by=request.user)
    logout(request)
    messages.success(request, _("You were logged out of %(count)s sessions.") % {"count": max(count, 1)})
    return redirect("login")


def _people_named(entries: Iterable[AuditEntry]) -> dict[str, str]:
    """The e-mail of each person an entry is about (an invitation, a role change): the log names
    them as the page about staff does, not by an id. An entry of this agency's log is about its
    own staff or people it invited."""
    ids = {entry.target_id for entry in entries if entry.target_type == "user"}
    valid = []
    for value in ids:
        try:
            valid.append(UUID(value))
        except ValueError:
            continue
    return {str(user.uuid): user.email for user in User.objects.filter(uuid__in=valid).only("uuid", "email")}


@role_required(Role.AGENCY_ADMIN)
def audit_list(request: StaffRequest) -> HttpResponse:
    entries = AuditEntry.objects.for_user(request.user).select_related("actor", "agency")
    audit_filter = AuditFilter(request.GET, queryset=entries)
    page = Paginator(audit_filter.qs, 50).get_page(request.GET.get("page"))
    people = _people_named(page.object_list)
    for entry in page.object_list:
        entry.action_label = action_label(entry.action)
        entry.target_label = people.get(entry.target_id) if entry.target_type == "user" else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "registry/audit_list.html", {"filter": audit_filter, "page": page, "query": query.urlencode()}
    )
