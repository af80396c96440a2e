"""Every write in the workshops app: validated, in one transaction, with one audit entry."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Agency, Region, User
from registry.services import audit
from workshops.models import (
    CardHeading,
    LogicModel,
    LogicModelItem,
    LogicModelLink,
    Mechanism,
    OpinionCard,
    RegionStep,
    Status,
    Step,
    SurveyAnswer,
    WorkshopSeries,
    WorkshopSession,
    default_themes,
    heading_key,
)
from workshops.selectors import merged_family

SERIES_FIELDS = ("title", "facilitator_notes")
SESSION_FIELDS = ("number", "held_on", "place", "duration_minutes", "themes", "is_open", "survey_open")


# --- Series and sessions ------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *, organiser: Agency, by: User, title: str, participants: Iterable[Agency] = (), facilitator_notes: str = ""
) -> WorkshopSeries:
    series = WorkshopSeries(
        organiser=organiser, region=organiser.region, title=title, facilitator_notes=facilitator_notes
    )
    series.full_clean()
    series.save()
    series.participants.set([a for a in participants if a.pk != organiser.pk])
    LogicModel.objects.create(
        series=series, title=_("Logic model goal guide of %(region)s") % {"region": organiser.region.name}
    )
    audit(by=by, agency=organiser, action="workshop.create", target=series)
    return series


@transaction.atomic
def series_update(
    *, series: WorkshopSeries, by: User, participants: Iterable[Agency] | None = None, **fields: Any
) -> WorkshopSeries:
    for name, value in fields.items():
        if name in SERIES_FIELDS:
            setattr(series, name, value)
    series.full_clean()
    series.save()
    if participants is not None:
        series.participants.set([a for a in participants if a.pk != series.organiser_id])
    audit(by=by, agency=series.organiser, action="workshop.update", target=series, fields=sorted(fields))
    return series


def next_session_number(series: WorkshopSeries) -> int:
    last = series.sessions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _check_number_free(session: WorkshopSession) -> None:
    taken = WorkshopSession.objects.filter(series=session.series, number=session.number).exclude(pk=session.pk)
    if taken.exists():
        raise ValidationError({"number": _("This series already has a session with this number.")})


@transaction.atomic
def session_create(*, series: WorkshopSeries, by: User, number: int | None = None, **fields: Any) -> WorkshopSession:
    number = number or next_session_number(series)
    fields = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    if not fields.get("themes"):
        fields["themes"] = default_themes(number)
    session = WorkshopSession(series=series, number=number, **fields)
    _check_number_free(session)
    session.full_clean()
    session.save()
    audit(by=by, agency=series.organiser, action="workshop.session.create", target=session, number=number)
    return session


@transaction.atomic
def session_update(*, session: WorkshopSession, by: User, **fields: Any) -> WorkshopSession:
    was_open = WorkshopSession.objects.filter(pk=session.pk).values_list("survey_open", flat=True).get()
    for name, value in fields.items():
        if name in SESSION_FIELDS:
            setattr(session, name, value)
    _check_number_free(session)
    session.full_clean()
    if session.survey_open and not was_open:
        # Opened again: a new round, so the links handed out before it was closed stay dead.
        session.survey_round = F("survey_round") + 1
    session.save()
    session.refresh_from_db(fields=["survey_round"])
    audit(by=by, agency=session.series.organiser, action="workshop.session.update", target=session)
    return session


# --- Cards -----------------------------------------------------------------------------------------


@transaction.atomic
def card_create(
    *, session: WorkshopSession, by: User, theme: str, text: str, table: str = "", agency: Agency | None = None
) -> OpinionCard:
    card = OpinionCard(
        session=session, theme=theme, text=text.strip(), table=table.strip(), agency=agency, created_by=by
    )
    card.full_clean()
    card.save()
    audit(by=by, agency=session.series.organiser, action="workshop.card.create", target=card)
    return card


@transaction.atomic
def card_update(*, card: OpinionCard, by: User, **fields: Any) -> OpinionCard:
    """Fix a card's wording or sorting. Merged originals stay as they were written."""
    if card.merged_into_id:
        raise ValidationError(_("This card was merged: edit the merged card instead."))
    for name in ("text", "theme", "table", "agency"):
        if name in fields:
            value = fields[name]
            setattr(card, name, value.strip() if isinstance(value, str) else value)
    if card.heading is not None and card.heading.theme != card.theme:
        card.heading = None  # a heading belongs to one theme
    card.full_clean()
    card.save()
    audit(by=by, agency=card.session.series.organiser, action="workshop.card.update", target=card)
    return card


@transaction.atomic
def card_merge(*, session: WorkshopSession, by: User, cards: list[OpinionCard], text: str = "") -> OpinionCard:
    """Replace duplicates by one card. The originals stay, pointing at the new card, so
    who said what remains traceable; their votes carry over."""
    cards = list(OpinionCard.objects.select_for_update().filter(pk__in=[c.pk for c in cards]).order_by("created_at"))
    if len(cards) < 2:
        raise ValidationError(_("Choose at least two cards to merge."))
    if any(c.session_id != session.pk or c.merged_into_id for c in cards):
        raise ValidationError(_("Only cards on this session's board can be merged."))
    if len({c.theme for c in cards}) > 1:
        raise ValidationError(_("Cards of different themes cannot be merged."))
    tables = {c.table for c in cards}
    merged = OpinionCard(
        session=session,
        theme=cards[0].theme,
        text=(text or cards[0].text).strip(),
        table=tables.pop() if len(tables) == 1 else "",
        heading=next((c.heading for c in cards if c.heading_id), None),
        votes=sum(c.votes for c in cards),
        created_by=by,
    )
    merged.full_clean()
    merged.save()
    OpinionCard.objects.filter(pk__in=[c.pk for c in cards]).update(merged_into=merged)
    audit(
        by=by,
        agency=session.series.organiser,
        action="workshop.card.merge",
        target=merged,
        originals=[str(c.uuid) for c in cards],
    )
    return merged


@transaction.atomic
def card_vote(*, card: OpinionCard, by: User, delta: int) -> OpinionCard:
    """Dot-voting: add or take back one dot. Counts never go below zero."""
    if delta not in (1, -1):
        raise ValidationError(_("A vote adds or removes one dot."))
    if card.merged_into_id:
        raise ValidationError(_("Vote on the merged card instead."))
    OpinionCard.objects.filter(pk=card.pk, votes__gte=-delta if delta < 0 else 0).update(votes=F("votes") + delta)
    card.refresh_from_db(fields=["votes"])
    audit(by=by, agency=card.session.series.organiser, action="workshop.card.vote", target=card, delta=delta)
    return card


@transaction.atomic
def card_delete(*, card: OpinionCard, by: User) -> None:
    """Take a card off the board for good, with the originals merged into it: they were only
    kept to show who said what under it. Its votes go with it. Logic-model items made from
    these cards keep their text; they only lose the pointer to the card (and the model its
    revision, as the item changed)."""
    card = OpinionCard.objects.select_for_update().select_related("session__series__organiser").get(pk=card.pk)
    if card.merged_into_id:
        raise ValidationError(_("This card was merged: delete the merged card instead."))
    cards = merged_family(card, OpinionCard.objects.select_for_update())
    items = LogicModelItem.objects.filter(source_card__in=cards).select_related("logic_model")
    logic_models = {item.logic_model for item in items}
    unlinked = items.update(source_card=None)
    audit(
        by=by,
        agency=card.session.series.organiser,
        action="workshop.card.delete",
        target=card,
        text=card.text,
        votes=card.votes,
        originals=[str(c.uuid) for c in cards[1:]],
        unlinked_items=unlinked,
    )
    # Originals point at their merged card (PROTECT): loosen them first, then all go at once.
    OpinionCard.objects.filter(pk__in=[c.pk for c in cards]).update(merged_into=None)
    OpinionCard.objects.filter(pk__in=[c.pk for c in cards]).delete()
    for logic_model in logic_models:
        _touch(logic_model)


def _save_heading(heading: CardHeading) -> None:
    """The one place a heading's title is checked: one title per theme of a session, compared
    as heading_key does (ＡＢＣ = abc, spaces do not count). The constraint catches a race."""
    heading.title = heading.title.strip()
    heading.full_clean(validate_constraints=False)
    taken = CardHeading.objects.filter(
        session_id=heading.session_id, theme=heading.theme, title_key=heading_key(heading.title)
    ).exclude(pk=heading.pk)
    duplicate = _("This theme already has the heading 「%(title)s」.")
    if taken.exists():
        raise ValidationError({"title": duplicate % {"title": taken.values_list("title", flat=True).first()}})
    try:
        with transaction.atomic():
            heading.save()
    except IntegrityError:
        raise ValidationError({"title": duplicate % {"title": heading.title}}) from None


@transaction.atomic
def heading_create(*, session: WorkshopSession, by: User, theme: str, title: str) -> CardHeading:
    heading = CardHeading(session=session, theme=theme, title=title)
    if theme not in session.themes:
        raise ValidationError({"theme": _("This theme is not on this session's agenda.")})
    _save_heading(heading)
    audit(by=by, agency=session.series.organiser, action="workshop.heading.create", target=heading)
    return heading


@transaction.atomic
def heading_rename(*, heading: CardHeading, by: User, title: str) -> CardHeading:
    """The cards stay under the heading; only its title changes."""
    before = heading.title
    heading.title = title
    try:
        _save_heading(heading)
    except ValidationError:
        heading.title = before  # the page keeps showing the heading's saved title
        raise
    audit(
        by=by,
        agency=heading.session.series.organiser,
        action="workshop.heading.rename",
        target=heading,
        before=before,
        after=heading.title,
    )
    return heading


@transaction.atomic
def card_set_heading(*, card: OpinionCard, by: User, heading: CardHeading | None) -> OpinionCard:
    if heading is not None and heading.theme != card.theme:
        raise ValidationError({"heading": _("Choose a heading of the card's theme.")})
    card.heading = heading
    card.full_clean()
    card.save(update_fields=["heading"])
    audit(by=by, agency=card.session.series.organiser, action="workshop.card.group", target=card)
    return card


# --- Logic model -------------------------------------------------------------------------------------


def _touch(logic_model: LogicModel) -> None:
    LogicModel.objects.filter(pk=logic_model.pk).update(revision=F("revision") + 1, updated_at=timezone.now())
    logic_model.refresh_from_db(fields=["revision", "updated_at"])


def _text_of_card(card: OpinionCard) -> str:
    """An item left empty takes its card's text, if it fits the item: a longer card is neither
    cut short nor reported as the (empty) text field's length."""
    field = LogicModelItem._meta.get_field("text")
    text = card.text.strip()
    if field.max_length is not None and len(text) > field.max_length:
        message = _(
            "This card has %(count)d characters, more than an item may have (%(limit)d). Write a shorter "
            'wording of up to %(limit)d characters in "%(field)s".'
        )
        raise ValidationError(
            {"source_card": message % {"count": len(text), "limit": field.max_length, "field": field.verbose_name}}
        )
    return text


@transaction.atomic
def item_create(
    *,
    logic_model: LogicModel,
    by: User,
    column: str,
    text: str = "",
    category: str = "",
    source_card: OpinionCard | None = None,
    figure: str = "",
    indicator: str = "",
) -> LogicModelItem:
    if source_card is not None and source_card.session.series_id != logic_model.series_id:
        raise ValidationError({"source_card": _("Choose a card of this workshop series.")})
    text = text.strip() or (_text_of_card(source_card) if source_card else "")
    last = logic_model.items.filter(column=column).order_by("-position").values_list("position", flat=True).first()
    item = LogicModelItem(
        logic_model=logic_model,
        column=column,
        category=category,
        text=text,
        source_card=source_card,
        figure=figure,
        indicator=indicator,
        position=(last or 0) + 1,
    )
    item.full_clean()
    item.save()
    _touch(logic_model)
    audit(by=by, agency=logic_model.series.organiser, action="workshop.logic.item.create", target=item)
    return item


@transaction.atomic
def item_update(*, item: LogicModelItem, by: User, **fields: Any) -> LogicModelItem:
    for name in ("text", "category", "figure", "indicator", "position"):
        if name in fields:
            setattr(item, name, fields[name])
    item.full_clean()
    item.save()
    _touch(item.logic_model)
    audit(by=by, agency=item.logic_model.series.organiser, action="workshop.logic.item.update", target=item)
    return item


@transaction.atomic
def item_delete(*, item: LogicModelItem, by: User) -> None:
    logic_model = item.logic_model
    audit(by=by, agency=logic_model.series.organiser, action="workshop.logic.item.delete", target=item, text=item.text)
    item.delete()  # its links go with it
    _touch(logic_model)


@transaction.atomic
def link_create(*, source: LogicModelItem, target: LogicModelItem, by: User) -> LogicModelLink:
    link = LogicModelLink(source=source, target=target)
    link.full_clean(validate_unique=False, validate_constraints=False)  # the database says "already linked"
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(_("These items are already linked.")) from None
    _touch(source.logic_model)
    audit(by=by, agency=source.logic_model.series.organiser, action="workshop.logic.link.create", target=link)
    return link


@transaction.atomic
def link_delete(*, link: LogicModelLink, by: User) -> None:
    logic_model = link.source.logic_model
    audit(by=by, agency=logic_model.series.organiser, action="workshop.logic.link.delete", target=link)
    link.delete()
    _touch(logic_model)


@transaction.atomic
def logic_model_rename(*, logic_model: LogicModel, by: User, title: str) -> LogicModel:
    """The title printed on the page and the PDF. A new revision: paper copies differ."""
    before = logic_model.title
    logic_model.title = title.strip()
    try:
        logic_model.full_clean()
    except ValidationError:
        logic_model.title = before  # the page keeps showing the saved title
        raise
    logic_model.save(update_fields=["title", "updated_at"])
    _touch(logic_model)
    audit(
        by=by,
        agency=logic_model.series.organiser,
        action="workshop.logic.rename",
        target=logic_model,
        before=before,
        after=logic_model.title,
    )
    return logic_model


@transaction.atomic
def logic_model_set_published(*, logic_model: LogicModel, by: User, published: bool) -> LogicModel:
    if published and not logic_model.items.exists():
        raise ValidationError(_("Add items before publishing the logic model."))
    logic_model.status = Status.PUBLISHED if published else Status.DRAFT
    logic_model.published_at = timezone.now() if published else None
    logic_model.save(update_fields=["status", "published_at", "updated_at"])
    audit(
        by=by,
        agency=logic_model.series.organiser,
        action="workshop.logic.publish" if published else "workshop.logic.unpublish",
        target=logic_model,
    )
    return logic_model


# --- Survey ----------------------------------------------------------------------------------------------


@transaction.atomic
def survey_answer_submit(*, session: WorkshopSession, submission_id: UUID, **fields: Any) -> tuple[SurveyAnswer, bool]:
    """Store one answer. The same submission id again (double tap, resent form) returns the
    first answer instead of adding a second one."""
    existing = SurveyAnswer.objects.filter(submission_id=submission_id).first()
    if existing is not None:
        return existing, False
    answer = SurveyAnswer(session=session, submission_id=submission_id, **fields)
    answer.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:  # two identical POSTs raced: the first one won
        return SurveyAnswer.objects.get(submission_id=submission_id), False
    audit(by=None, agency=session.series.organiser, action="workshop.survey.answer", target=session)
    return answer, True


# --- Region progress -----------------------------------------------------------------------------------------


def region_steps(region: Region) -> list[RegionStep]:
    """The four steps in order; steps never saved yet appear unsaved, 'not started'."""
    saved = {s.step: s for s in RegionStep.objects.filter(region=region)}
    return [saved.get(step.value) or RegionStep(region=region, step=step.value) for step in Step]


@transaction.atomic
def region_step_update(*, region: Region, by: User, agency: Agency | None, step: str, **fields: Any) -> RegionStep:
    current, _created = RegionStep.objects.select_for_update().get_or_create(region=region, step=step)
    for name in ("status", "started_on", "completed_on", "notes"):
        if name in fields:
            setattr(current, name, fields[name])
    current.full_clean()
    current.save()
    audit(by=by, agency=agency, action="workshop.region.step", target=current, status=current.status)
    return current


MECHANISM_FIELDS = ("kind", "custom_name", "agency", "description", "position")


@transaction.atomic
def mechanism_create(*, region: Region, by: User, acting_agency: Agency | None, **fields: Any) -> Mechanism:
    mechanism = Mechanism(region=region, **{k: v for k, v in fields.items() if k in MECHANISM_FIELDS})
    if "position" not in fields:
        last = region.platform_mechanisms.order_by("-position").values_list("position", flat=True).first()
        mechanism.position = (last or 0) + 1
    mechanism.full_clean()
    mechanism.save()
    audit(by=by, agency=acting_agency, action="workshop.mechanism.create", target=mechanism)
    return mechanism


@transaction.atomic
def mechanism_update(*, mechanism: Mechanism, by: User, acting_agency: Agency | None, **fields: Any) -> Mechanism:
    for name, value in fields.items():
        if name in MECHANISM_FIELDS:
            setattr(mechanism, name, value)
    mechanism.full_clean()
    mechanism.save()
    audit(by=by, agency=acting_agency, action="workshop.mechanism.update", target=mechanism)
    return mechanism


@transaction.atomic
def mechanism_delete(*, mechanism: Mechanism, by: User, acting_agency: Agency | None) -> None:
    audit(by=by, agency=acting_agency, action="workshop.mechanism.delete", target=mechanism, name=mechanism.name)
    mechanism.delete()
