"""Which regions a user may evaluate: every region of their acting agency's prefecture (the
figures are aggregates across agencies, through the small-count rule); platform admins, every
region. Another prefecture's region is 404."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from registry.models import AnyUser, Region, acting_membership, is_platform_admin


def regions_for(user: AnyUser) -> QuerySet[Region]:
    membership = acting_membership(user)
    regions = Region.objects.select_related("prefecture").order_by("prefecture__code", "code")
    if membership is not None:
        return regions.filter(prefecture_id=membership.agency.region.prefecture_id)
    if is_platform_admin(user):
        return regions
    return regions.none()


def default_region(user: AnyUser) -> Region | None:
    membership = acting_membership(user)
    if membership is not None:
        return membership.agency.region
    return regions_for(user).first()


def get_region(user: AnyUser, region_uuid: UUID | str | None) -> Region:
    if not region_uuid:
        region = default_region(user)
        if region is None:
            raise Http404
        return region
    try:
        return regions_for(user).get(uuid=region_uuid)
    except (Region.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
