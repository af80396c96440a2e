from urllib.parse import urlencode
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from registry.access import agency_role_required, role_required
from registry.forms import add_service_error
from registry.http import confirmation, confirmed
from registry.models import Region, Role, acting_membership
from sheets.network.selectors import region_handoff_figures
from workshops import services
from workshops.access import (
    Access,
    can_add_cards,
    can_edit_region,
    card_deletion_rule,
    get_card_for_deletion,
    get_card_for_user,
    get_heading_for_user,
    get_item_for_user,
    get_link_for_user,
    get_logic_model_for_user,
    get_mechanism_for_user,
    get_region_for_user,
    get_series_for_user,
    get_session_for_card_entry,
    get_session_for_user,
    logic_model_visibility,
    series_access,
)
from workshops.forms import (
    CardForm,
    GroupForm,
    HeadingForm,
    HeadingRenameForm,
    ItemEditForm,
    ItemForm,
    LinkForm,
    LogicModelTitleForm,
    MechanismForm,
    MergeForm,
    SeriesForm,
    SessionForm,
    StepForm,
    SurveyForm,
    VoteForm,
)
from workshops.models import LogicModel, RegionStep, Step, WorkshopSeries, default_themes
from workshops.pdf import render_logic_model_pdf
from workshops.selectors import (
    card_deletion,
    logic_model_layout,
    platform_diagram,
    session_board,
    survey_answered,
    survey_summary,
)
from workshops.survey import (
    browser_submission_id,
    keep_browser_submission_id,
    qr_svg,
    session_from_token,
    survey_link_expiry,
    survey_token,
)

# --- Series ---------------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def series_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    series = WorkshopSeries.objects.for_user(user).select_related("region", "organiser", "logic_model")
    membership = acting_membership(user)
    # Published logic models of the user's region that came from series they do not take part in.
    published = (
        LogicModel.objects.filter(logic_model_visibility(user), status="published")
        .exclude(series__in=series)
        .select_related("series__region", "series__organiser")
    )
    regions = (
        [membership.agency.region]
        if membership
        else list(Region.objects.filter(workshop_series__isnull=False).distinct().select_related("prefecture"))
    )
    return render(
        request,
        "workshops/series_list.html",
        {
            "series_list": series,
            "published": published,
            "regions": regions,
            "can_create": membership is not None and membership.has_role(Role.COORDINATOR),
        },
    )


@agency_role_required(Role.COORDINATOR)
def series_create(request: HttpRequest) -> HttpResponse:
    agency = acting_membership(request.user).agency
    form = SeriesForm(request.POST or None, organiser=agency)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(organiser=agency, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The workshop series was created. Add its first session."))
            return redirect("workshops:series_detail", series_uuid=series.uuid)
    return render(request, "workshops/series_form.html", {"form": form, "series": None})


@role_required(Role.COUNSELOR)
def series_detail(request: HttpRequest, series_uuid) -> HttpResponse:
    series = get_series_for_user(request.user, series_uuid)
    access = series_access(request.user, series)
    return render(
        request,
        "workshops/series_detail.html",
        {
            "series": series,
            "sessions": series.sessions.all(),
            "participants": series.participants.all(),
            "can_manage": access >= Access.MANAGE,
            "is_organiser_member": access >= Access.READ,
            "logic_model": series.logic_model,
        },
    )


@role_required(Role.COUNSELOR)
def series_edit(request: HttpRequest, series_uuid) -> HttpResponse:
    series = get_series_for_user(request.user, series_uuid, need=Access.MANAGE)
    form = SeriesForm(request.POST or None, instance=series, organiser=series.organiser)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("workshops:series_detail", series_uuid=series.uuid)
    return render(request, "workshops/series_form.html", {"form": form, "series": series})


# --- Sessions -------------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def session_create(request: HttpRequest, series_uuid) -> HttpResponse:
    series = get_series_for_user(request.user, series_uuid, need=Access.MANAGE)
    number = services.next_session_number(series)
    form = SessionForm(request.POST or None, initial={"number": number, "themes": default_themes(number)})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("workshops:session_detail", session_uuid=session.uuid)
    return render(request, "workshops/session_form.html", {"form": form, "series": series, "session": None})


@role_required(Role.COUNSELOR)
def session_edit(request: HttpRequest, session_uuid) -> HttpResponse:
    session = get_session_for_user(request.user, session_uuid, need=Access.MANAGE)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("workshops:session_detail", session_uuid=session.uuid)
    return render(request, "workshops/session_form.html", {"form": form, "series": session.series, "session": session})


def _board_context(request: HttpRequest, session, card_form=None, merge_form=None, added=None) -> dict:
    access = series_access(request.user, session.series)
    order = "votes" if request.GET.get("order") == "votes" else "created"
    if card_form is None and can_add_cards(request.user, session):
        sticky = {k: request.GET[k] for k in ("theme", "table", "agency") if request.GET.get(k)}
        card_form = CardForm(initial=sticky or {"theme": session.themes[0]}, session=session)
    boards = session_board(session, order)
    may_delete = card_deletion_rule(request.user, session)
    return {
        "session": session,
        "series": session.series,
        "boards": boards,
        "deletable": {c.pk for b in boards for g in b.groups for c in g.cards if may_delete(c)},
        "order": order,
        "card_form": card_form,
        "merge_form": merge_form,
        # A merge sent back with an error keeps the cards ticked, the text typed.
        "picked": set(merge_form.data.getlist("cards")) if merge_form is not None else set(),
        "heading_form": HeadingForm(session=session) if access >= Access.MANAGE else None,
        "can_manage": access >= Access.MANAGE,
        "added": added,
    }


@role_required(Role.COUNSELOR)
def session_detail(request: HttpRequest, session_uuid) -> HttpResponse:
    session = get_session_for_user(request.user, session_uuid)
    return render(request, "workshops/session_detail.html", _board_context(request, session))


@require_POST
@role_required(Role.COUNSELOR)
def card_create(request: HttpRequest, session_uuid) -> HttpResponse:
    """Enter adds the card; htmx swaps in the board with a fresh form that keeps theme, table
    and agency and puts the focus back in the text field."""
    session = get_session_for_card_entry(request.user, session_uuid)
    form = CardForm(request.POST, session=session)
    added = None
    if form.is_valid():
        try:
            added = services.card_create(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
    if added is not None:
        sticky = {
            "theme": form.cleaned_data["theme"],
            "table": form.cleaned_data["table"],
            "agency": form.cleaned_data["agency"].pk if form.cleaned_data["agency"] else "",
        }
        if not request.htmx:
            # Without htmx the confirmation comes back with the page the browser is sent to.
            messages.success(request, _("Added: %(text)s") % {"text": added.text})
            url = reverse("workshops:session_detail", args=[session.uuid])
            return redirect(f"{url}?{urlencode({k: v for k, v in sticky.items() if v})}#capture")
        form = CardForm(initial=sticky, session=session)
    context = _board_context(request, session, card_form=form, added=added)
    if request.htmx:
        return render(request, "workshops/_partials/board.html", context)
    return render(request, "workshops/session_detail.html", context)


def _back_to_board(session, anchor: str = "") -> HttpResponse:
    url = reverse("workshops:session_detail", args=[session.uuid])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@role_required(Role.COUNSELOR)
def card_merge(request: HttpRequest, session_uuid) -> HttpResponse:
    session = get_session_for_user(request.user, session_uuid, need=Access.MANAGE)
    form = MergeForm(request.POST, session=session)
    if form.is_valid():
        try:
            merged = services.card_merge(
                session=session, by=request.user, cards=list(form.cleaned_data["cards"]), text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The cards were merged. The originals are kept under the merged card."))
            return _back_to_board(session, f"card-{merged.uuid}")
    context = _board_context(request, session, merge_form=form)
    return render(request, "workshops/session_detail.html", context, status=400)


@require_POST
@role_required(Role.COUNSELOR)
def card_vote(request: HttpRequest, card_uuid) -> HttpResponse:
    card = get_card_for_user(request.user, card_uuid)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A vote adds or removes one dot."))
        return _back_to_board(card.session)
    try:
        card = services.card_vote(card=card, by=request.user, delta=form.cleaned_data["delta"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_board(card.session)
    if request.htmx:
        context = {"card": card, "can_manage": True, "pressed": form.cleaned_data["delta"]}
        return render(request, "workshops/_partials/card_votes.html", context)
    return _back_to_board(card.session, f"card-{card.uuid}")


@role_required(Role.COUNSELOR)
def card_edit(request: HttpRequest, card_uuid) -> HttpResponse:
    card = get_card_for_user(request.user, card_uuid)
    initial = {"text": card.text, "theme": card.theme, "table": card.table, "agency": card.agency_id}
    form = CardForm(request.POST or None, initial=initial, session=card.session)
    if request.method == "POST" and form.is_valid():
        try:
            services.card_update(card=card, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The card was saved."))
            return _back_to_board(card.session, f"card-{card.uuid}")
    return render(
        request,
        "workshops/card_form.html",
        {
            "form": form,
            "card": card,
            "session": card.session,
            "series": card.session.series,
            "can_delete": not card.merged_into_id and card_deletion_rule(request.user, card.session)(card),
        },
    )


@require_POST
@role_required(Role.COUNSELOR)
def card_delete(request: HttpRequest, card_uuid) -> HttpResponse:
    """Asks first, saying what goes with the card (merged originals, votes, logic-model links)."""
    card = get_card_for_deletion(request.user, card_uuid)
    if card.merged_into_id:
        messages.error(request, _("This card was merged: delete the merged card instead."))
        return _back_to_board(card.session)
    if not confirmed(request):
        return confirmation(
            request,
            title=_("Delete this card?"),
            consequences=_deletion_consequences(card_deletion(card)),
            confirm_label=_("Delete the card"),
            cancel_url=reverse("workshops:session_detail", args=[card.session.uuid]) + f"#card-{card.uuid}",
        )
    session, text = card.session, card.text
    # Back where the card was: its heading's group, or its theme's board.
    place = f"heading-{card.heading.uuid}" if card.heading_id else f"theme-{card.theme}"
    services.card_delete(card=card, by=request.user)
    messages.success(request, _("The card was deleted: %(text)s") % {"text": text})
    return _back_to_board(session, place)


def _quoted(texts) -> str:
    return "".join(f"「{text}」" for text in texts)


def _deletion_consequences(deletion) -> list[str]:
    card = deletion.card
    lines = [_("「%(text)s」 is removed from the board and from the card counts.") % {"text": card.text}]
    if card.votes:
        lines.append(
            ngettext("Its %(n)s vote goes with it.", "Its %(n)s votes go with it.", card.votes) % {"n": card.votes}
        )
    if deletion.originals:
        n = len(deletion.originals)
        lines.append(
            ngettext(
                "The %(n)s card merged into it is deleted too: %(texts)s",
                "The %(n)s cards merged into it are deleted too: %(texts)s",
                n,
            )
            % {"n": n, "texts": _quoted(c.text for c in deletion.originals)}
        )
    if deletion.items:
        n = len(deletion.items)
        lines.append(
            ngettext(
                "%(n)s logic model item was made from it (%(texts)s). It stays, with its text; only the note "
                "of the card it came from goes.",
                "%(n)s logic model items were made from it (%(texts)s). They stay, with their text; only the "
                "note of the card they came from goes.",
                n,
            )
            % {"n": n, "texts": _quoted(i.text for i in deletion.items)}
        )
    lines.append(_("This cannot be undone. To change the wording instead, edit the card."))
    return lines


@require_POST
@role_required(Role.COUNSELOR)
def card_group(request: HttpRequest, card_uuid) -> HttpResponse:
    card = get_card_for_user(request.user, card_uuid)
    form = GroupForm(request.POST, session=card.session)
    if form.is_valid():
        try:
            services.card_set_heading(card=card, by=request.user, heading=form.cleaned_data["heading"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a heading of this session."))
    return _back_to_board(card.session, f"card-{card.uuid}")


@require_POST
@role_required(Role.COUNSELOR)
def heading_create(request: HttpRequest, session_uuid) -> HttpResponse:
    session = get_session_for_user(request.user, session_uuid, need=Access.MANAGE)
    form = HeadingForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.heading_create(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The heading was added."))
            return _back_to_board(session, "headings")
    context = _board_context(request, session)
    context["heading_form"] = form
    return render(request, "workshops/session_detail.html", context)


@role_required(Role.COUNSELOR)
def heading_edit(request: HttpRequest, heading_uuid) -> HttpResponse:
    heading = get_heading_for_user(request.user, heading_uuid)
    session = heading.session
    form = HeadingRenameForm(request.POST or None, instance=heading)
    if request.method == "POST" and form.is_valid():
        try:
            services.heading_rename(heading=heading, by=request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The heading was renamed."))
            return _back_to_board(session, f"heading-{heading.uuid}")
    return render(
        request,
        "workshops/heading_form.html",
        {"form": form, "heading": heading, "session": session, "series": session.series},
    )


# --- Survey ---------------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def survey_results(request: HttpRequest, session_uuid) -> HttpResponse:
    session = get_session_for_user(request.user, session_uuid, need=Access.READ)
    survey_url = request.build_absolute_uri(reverse("workshops:survey_answer", args=[survey_token(session)]))
    return render(
        request,
        "workshops/survey_results.html",
        {
            "session": session,
            "series": session.series,
            "summary": survey_summary(session),
            "survey_url": survey_url,
            "survey_qr": qr_svg(survey_url),
            "expires_at": survey_link_expiry(),
        },
    )


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Participants answer on their phone without an account; the link is signed and expires."""
    session = session_from_token(token)
    if session is None:
        return render(request, "workshops/survey_invalid.html", status=404)
    # One answer per browser: the id it was given on its first visit, else one per form load.
    browser_id = browser_submission_id(request, session)
    if browser_id is not None and survey_answered(session, browser_id):
        return render(request, "workshops/survey_thanks.html", {"session": session, "already": True})
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            submission_id = browser_id or data.pop("submission_id")
            data.pop("submission_id", None)
            try:
                _answer, created = services.survey_answer_submit(session=session, submission_id=submission_id, **data)
            except ValidationError as exc:  # the model's limits (e.g. at most 99 people), next to their field
                add_service_error(form, exc)
            else:
                response = render(request, "workshops/survey_thanks.html", {"session": session, "already": not created})
                keep_browser_submission_id(response, session, submission_id)
                return response
    else:
        form = SurveyForm(initial={"submission_id": browser_id or uuid4()})
    response = render(request, "workshops/survey_form.html", {"form": form, "session": session, "token": token})
    if browser_id is None and request.method == "GET":
        keep_browser_submission_id(response, session, form.initial["submission_id"])
    return response


# --- Logic model ------------------------------------------------------------------------------------


def _logic_model_context(request: HttpRequest, logic_model: LogicModel, **extra) -> dict:
    layout = logic_model_layout(logic_model)
    access = series_access(request.user, logic_model.series)
    return {
        "logic_model": logic_model,
        "series": logic_model.series,
        "layout": layout,
        "can_manage": access >= Access.MANAGE,
        "can_see_series": access > Access.NONE,
        **extra,
    }


@role_required(Role.COUNSELOR)
def logic_model_detail(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid)
    return render(request, "workshops/logic_model_detail.html", _logic_model_context(request, logic_model))


def _codes(layout) -> dict[int, str]:
    return {e.item.pk: e.code for c in layout.columns for e in c.entries if e.item is not None}


def _editor(request: HttpRequest, logic_model: LogicModel, item_form=None, link_form=None) -> HttpResponse:
    context = _logic_model_context(request, logic_model, editable=True)
    context["item_form"] = item_form or ItemForm(logic_model=logic_model)
    context["link_form"] = link_form or LinkForm(logic_model=logic_model)
    context["link_form"].name_items(_codes(context["layout"]))
    context["links"] = context["layout"].links
    return render(request, "workshops/logic_model_edit.html", context)


@role_required(Role.COUNSELOR)
def logic_model_edit(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid, write=True)
    return _editor(request, logic_model)


@role_required(Role.COUNSELOR)
def logic_model_title(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid, write=True)
    form = LogicModelTitleForm(request.POST or None, instance=logic_model)
    if request.method == "POST" and form.is_valid():
        try:
            services.logic_model_rename(logic_model=logic_model, by=request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The title was changed."))
            return redirect("workshops:logic_model_edit", series_uuid=series_uuid)
    return render(
        request,
        "workshops/logic_model_title.html",
        {"form": form, "logic_model": logic_model, "series": logic_model.series},
    )


@require_POST
@role_required(Role.COUNSELOR)
def item_create(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid, write=True)
    form = ItemForm(request.POST, logic_model=logic_model)
    if form.is_valid():
        try:
            item = services.item_create(logic_model=logic_model, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The item was added."))
            url = reverse("workshops:logic_model_edit", args=[series_uuid])
            return redirect(f"{url}#item-{item.uuid}")
    return _editor(request, logic_model, item_form=form)


@role_required(Role.COUNSELOR)
def item_edit(request: HttpRequest, item_uuid) -> HttpResponse:
    item = get_item_for_user(request.user, item_uuid)
    form = ItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("workshops:logic_model_edit", series_uuid=item.logic_model.series.uuid)
    return render(request, "workshops/item_form.html", {"form": form, "item": item, "series": item.logic_model.series})


@require_POST
@role_required(Role.COUNSELOR)
def item_delete(request: HttpRequest, item_uuid) -> HttpResponse:
    item = get_item_for_user(request.user, item_uuid)
    series_uuid = item.logic_model.series.uuid
    services.item_delete(item=item, by=request.user)
    messages.success(request, _("The item and its links were removed."))
    return redirect("workshops:logic_model_edit", series_uuid=series_uuid)


@require_POST
@role_required(Role.COUNSELOR)
def link_create(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid, write=True)
    form = LinkForm(request.POST, logic_model=logic_model)
    if form.is_valid():
        try:
            services.link_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The link was added."))
            return redirect(reverse("workshops:logic_model_edit", args=[series_uuid]) + "#links")
    return _editor(request, logic_model, link_form=form)


@require_POST
@role_required(Role.COUNSELOR)
def link_delete(request: HttpRequest, link_uuid) -> HttpResponse:
    link = get_link_for_user(request.user, link_uuid)
    series_uuid = link.source.logic_model.series.uuid
    services.link_delete(link=link, by=request.user)
    messages.success(request, _("The link was removed."))
    return redirect(reverse("workshops:logic_model_edit", args=[series_uuid]) + "#links")


@require_POST
@role_required(Role.COUNSELOR)
def logic_model_publish(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid, write=True)
    publish = request.POST.get("publish") == "1"
    try:
        services.logic_model_set_published(logic_model=logic_model, by=request.user, published=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The logic model is now visible to every agency in the region.")
            if publish
            else _("The logic model is back to draft."),
        )
    return redirect("workshops:logic_model_edit", series_uuid=series_uuid)


@require_GET
@role_required(Role.COUNSELOR)
def logic_model_pdf(request: HttpRequest, series_uuid) -> HttpResponse:
    logic_model = get_logic_model_for_user(request.user, series_uuid)
    response = HttpResponse(render_logic_model_pdf(logic_model), content_type="application/pdf")
    revision = _("Revision %(n)s") % {"n": logic_model.revision}
    filename = f"{_('Logic model')}_{logic_model.series.region.name}_{revision}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Region progress ------------------------------------------------------------------------------------


@role_required(Role.COUNSELOR)
def region_progress(request: HttpRequest, region_uuid) -> HttpResponse:
    region = get_region_for_user(request.user, region_uuid)
    return render(
        request,
        "workshops/region_progress.html",
        {
            "region": region,
            "steps": services.region_steps(region),
            "mechanisms": region.platform_mechanisms.select_related("agency"),
            "diagram": platform_diagram(region),
            "can_edit": can_edit_region(request.user, region),
            "series_list": WorkshopSeries.objects.for_user(request.user).filter(region=region),
            "handoff_figures": region_handoff_figures(region),
        },
    )


def _acting_agency(user):
    membership = acting_membership(user)
    return membership.agency if membership else None


@role_required(Role.COUNSELOR)
def step_edit(request: HttpRequest, region_uuid, step: str) -> HttpResponse:
    region = get_region_for_user(request.user, region_uuid, write=True)
    if step not in Step.values:
        raise Http404
    current = RegionStep.objects.filter(region=region, step=step).first() or RegionStep(region=region, step=step)
    form = StepForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.region_step_update(
                region=region, by=request.user, agency=_acting_agency(request.user), step=step, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The step was saved."))
            return redirect("workshops:region_progress", region_uuid=region.uuid)
    return render(request, "workshops/step_form.html", {"form": form, "region": region, "step": current})


@role_required(Role.COUNSELOR)
def mechanism_create(request: HttpRequest, region_uuid) -> HttpResponse:
    region = get_region_for_user(request.user, region_uuid, write=True)
    form = MechanismForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not (k == "position" and v is None)}
        try:
            services.mechanism_create(
                region=region, by=request.user, acting_agency=_acting_agency(request.user), **fields
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The mechanism was added."))
            return redirect(reverse("workshops:region_progress", args=[region.uuid]) + "#platform")
    return render(request, "workshops/mechanism_form.html", {"form": form, "region": region, "mechanism": None})


@role_required(Role.COUNSELOR)
def mechanism_edit(request: HttpRequest, mechanism_uuid) -> HttpResponse:
    mechanism = get_mechanism_for_user(request.user, mechanism_uuid)
    region = mechanism.region
    form = MechanismForm(request.POST or None, instance=mechanism, region=region)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if not (k == "position" and v is None)}
        try:
            services.mechanism_update(
                mechanism=mechanism, by=request.user, acting_agency=_acting_agency(request.user), **fields
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(reverse("workshops:region_progress", args=[region.uuid]) + "#platform")
    return render(request, "workshops/mechanism_form.html", {"form": form, "region": region, "mechanism": mechanism})


@require_POST
@role_required(Role.COUNSELOR)
def mechanism_delete(request: HttpRequest, mechanism_uuid) -> HttpResponse:
    mechanism = get_mechanism_for_user(request.user, mechanism_uuid)
    region = mechanism.region
    services.mechanism_delete(mechanism=mechanism, by=request.user, acting_agency=_acting_agency(request.user))
    messages.success(request, _("The mechanism was removed."))
    return redirect(reverse("workshops:region_progress", args=[region.uuid]) + "#platform")
