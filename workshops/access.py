"""Who may see and change workshop data.

- A series and everything in it belongs to the organising agency: its coordinators manage
  it, its counselors read it.
- Coordinators of participating agencies see the series and may add cards to a session
  while it is open, and delete the cards they wrote while it is open (nothing else).
- A *published* logic model is readable by every agency of the series' region.
- Region progress and the platform design belong to the region: every member of an agency
  in the region reads them, coordinators of those agencies edit them.

Another agency's private object answers 404, a visible object without the role 403.
"""

from collections.abc import Callable
from enum import IntEnum
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from registry.models import NOTHING, AnyUser, Region, Role, acting_membership
from workshops.models import (
    CardHeading,
    LogicModel,
    LogicModelItem,
    LogicModelLink,
    Mechanism,
    OpinionCard,
    Status,
    WorkshopSeries,
    WorkshopSession,
)


class Access(IntEnum):
    """What a user may do with one series; higher includes lower."""

    NONE = 0
    CONTRIBUTE = 1  # participating agency's coordinator: add cards while a session is open
    READ = 2  # organiser's counselor
    MANAGE = 3  # organiser's coordinator (or agency admin), platform admin


def _is_admin(user: AnyUser) -> bool:
    return getattr(user, "is_platform_admin", False)


def series_access(user: AnyUser, series: WorkshopSeries) -> Access:
    if _is_admin(user):
        return Access.MANAGE
    membership = acting_membership(user)
    if membership is None:
        return Access.NONE
    if membership.agency_id == series.organiser_id:
        return Access.MANAGE if membership.has_role(Role.COORDINATOR) else Access.READ
    if membership.has_role(Role.COORDINATOR) and series.participants.filter(pk=membership.agency_id).exists():
        return Access.CONTRIBUTE
    return Access.NONE


def can_add_cards(user: AnyUser, session: WorkshopSession) -> bool:
    access = series_access(user, session.series)
    return access == Access.MANAGE or (access == Access.CONTRIBUTE and session.is_open)


def _require(access: Access, needed: Access) -> None:
    if access == Access.NONE:
        raise Http404
    if access < needed:
        raise PermissionDenied


def get_series_for_user(user: AnyUser, series_uuid: UUID | str, *, need: Access = Access.CONTRIBUTE) -> WorkshopSeries:
    series = (
        WorkshopSeries.objects.for_user(user)
        .select_related("region__prefecture", "organiser")
        .filter(uuid=series_uuid)
        .first()
    )
    if series is None:
        raise Http404
    _require(series_access(user, series), need)
    return series


def get_session_for_user(
    user: AnyUser, session_uuid: UUID | str, *, need: Access = Access.CONTRIBUTE
) -> WorkshopSession:
    session = (
        WorkshopSession.objects.filter(series__in=WorkshopSeries.objects.for_user(user), uuid=session_uuid)
        .select_related("series__region", "series__organiser")
        .first()
    )
    if session is None:
        raise Http404
    _require(series_access(user, session.series), need)
    return session


def get_session_for_card_entry(user: AnyUser, session_uuid: UUID | str) -> WorkshopSession:
    session = get_session_for_user(user, session_uuid)
    if not can_add_cards(user, session):
        raise PermissionDenied
    return session


def _in_visible_session[T: (OpinionCard, CardHeading)](model: type[T], user: AnyUser, uuid: UUID | str) -> T:
    """A card or heading of a session whose series the user sees; otherwise 404."""
    found = (
        model.objects.filter(session__series__in=WorkshopSeries.objects.for_user(user), uuid=uuid)
        .select_related("session__series")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _visible_card(user: AnyUser, card_uuid: UUID | str) -> OpinionCard:
    return _in_visible_session(OpinionCard, user, card_uuid)


def get_card_for_user(user: AnyUser, card_uuid: UUID | str) -> OpinionCard:
    """Cards are changed (vote, group, merge) only by those who manage the series."""
    card = _visible_card(user, card_uuid)
    _require(series_access(user, card.session.series), Access.MANAGE)
    return card


def card_deletion_rule(user: AnyUser, session: WorkshopSession) -> Callable[[OpinionCard], bool]:
    """Who may delete a card of this session: those who may change its cards (they manage the
    series), and the card's author while they may still add cards to it — taking back one's
    own mistyped card is part of writing it. Checked once per session, then per card."""
    manages = series_access(user, session.series) >= Access.MANAGE
    may_add = manages or can_add_cards(user, session)
    return lambda card: manages or (may_add and card.created_by_id is not None and card.created_by_id == user.pk)


def get_card_for_deletion(user: AnyUser, card_uuid: UUID | str) -> OpinionCard:
    card = _visible_card(user, card_uuid)
    if not card_deletion_rule(user, card.session)(card):
        raise PermissionDenied
    return card


def get_heading_for_user(user: AnyUser, heading_uuid: UUID | str) -> CardHeading:
    """Headings are added and renamed by those who manage the series, as cards are grouped."""
    heading = _in_visible_session(CardHeading, user, heading_uuid)
    _require(series_access(user, heading.session.series), Access.MANAGE)
    return heading


# --- Logic model -------------------------------------------------------------------------------


def logic_model_visibility(user: AnyUser) -> Q:
    """Through the series, or published in the user's region."""
    if _is_admin(user):
        return Q()
    membership = acting_membership(user)
    if membership is None:
        return NOTHING
    through_series = Q(series__in=WorkshopSeries.objects.for_user(user))
    return through_series | Q(status=Status.PUBLISHED, series__region_id=membership.agency.region_id)


def get_logic_model_for_user(user: AnyUser, series_uuid: UUID | str, *, write: bool = False) -> LogicModel:
    logic_model = (
        LogicModel.objects.filter(logic_model_visibility(user), series__uuid=series_uuid)
        .select_related("series__region__prefecture", "series__organiser")
        .first()
    )
    if logic_model is None:
        raise Http404
    if write and series_access(user, logic_model.series) < Access.MANAGE:
        raise PermissionDenied
    return logic_model


def get_item_for_user(user: AnyUser, item_uuid: UUID | str) -> LogicModelItem:
    item = LogicModelItem.objects.filter(uuid=item_uuid).select_related("logic_model__series").first()
    if item is None:
        raise Http404
    get_logic_model_for_user(user, item.logic_model.series.uuid, write=True)
    return item


def get_link_for_user(user: AnyUser, link_uuid: UUID | str) -> LogicModelLink:
    link = LogicModelLink.objects.filter(uuid=link_uuid).select_related("source__logic_model__series").first()
    if link is None:
        raise Http404
    get_logic_model_for_user(user, link.source.logic_model.series.uuid, write=True)
    return link


# --- Region progress -----------------------------------------------------------------------------


def get_region_for_user(user: AnyUser, region_uuid: UUID | str, *, write: bool = False) -> Region:
    region = Region.objects.filter(uuid=region_uuid).select_related("prefecture").first()
    if region is None:
        raise Http404
    if _is_admin(user):
        return region
    membership = acting_membership(user)
    if membership is None or membership.agency.region_id != region.pk:
        raise Http404
    if write and not membership.has_role(Role.COORDINATOR):
        raise PermissionDenied
    return region


def can_edit_region(user: AnyUser, region: Region) -> bool:
    if _is_admin(user):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.agency.region_id == region.pk and membership.has_role(Role.COORDINATOR)


def get_mechanism_for_user(user: AnyUser, mechanism_uuid: UUID | str) -> Mechanism:
    mechanism = Mechanism.objects.filter(uuid=mechanism_uuid).select_related("region", "agency").first()
    if mechanism is None:
        raise Http404
    get_region_for_user(user, mechanism.region.uuid, write=True)
    return mechanism
