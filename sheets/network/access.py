"""The doors of つなぎ. A hand-off: the sending and the receiving agency only (a third agency,
and a platform admin acting for none, get 404). A needs check: the client's agency only."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from registry.models import Agency, AnyUser, Role, acting_membership, is_platform_admin
from sheets.clients.models import Referral
from sheets.network.models import Handoff, NeedsCheck


def get_handoff_for_user(user: AnyUser, handoff_uuid: UUID | str) -> Handoff:
    handoff: Handoff | None = (
        Handoff.objects.for_user(user)
        .select_related("from_agency__region", "to_agency__region", "client", "introduction", "needs_check")
        .filter(uuid=handoff_uuid)
        .first()
    )
    if handoff is None:
        raise Http404
    return handoff


def get_needs_check_for_user(user: AnyUser, client_uuid: UUID | str, check_uuid: UUID | str) -> NeedsCheck:
    check: NeedsCheck | None = (
        NeedsCheck.objects.for_user(user)
        .select_related("client__agency__region")
        .filter(uuid=check_uuid, client__uuid=client_uuid)
        .first()
    )
    if check is None:
        raise Http404
    return check


def directory_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agency directory a user sees: active agencies of the acting agency's prefecture
    (a platform admin without an agency: every active agency). Nobody else: none."""
    membership = acting_membership(user)
    agencies = Agency.objects.filter(is_active=True).select_related("region__prefecture")
    if membership is not None:
        return agencies.filter(region__prefecture_id=membership.agency.region.prefecture_id)
    if is_platform_admin(user):
        return agencies
    return agencies.none()


def get_directory_agency_for_user(user: AnyUser, agency_uuid: UUID | str) -> Agency:
    """An agency of the directory; one of another prefecture is 404."""
    agency = directory_agencies(user).filter(uuid=agency_uuid).first()
    if agency is None:
        raise Http404
    return agency


def incoming_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Referrals by other agencies to programs the acting agency owns (staff acting for it)."""
    membership = acting_membership(user)
    if membership is None or not membership.has_role(Role.COUNSELOR):
        return Referral.objects.none()
    return Referral.objects.filter(program__employer__owner_id=membership.agency_id).exclude(
        client__agency_id=membership.agency_id
    )


def get_incoming_referral_for_user(user: AnyUser, referral_uuid: UUID | str) -> Referral:
    referral = (
        incoming_referrals(user)
        .select_related("program__employer", "client__agency")
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        raise Http404
    return referral
