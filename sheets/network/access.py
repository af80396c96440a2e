"""The doors of つなぎ. A hand-off: the sending and the receiving agency only (a third agency,
and a platform admin acting for none, get 404). A needs check: the client's agency only."""

from uuid import UUID

from django.http import Http404

from registry.models import AnyUser
from sheets.network.models import Handoff, NeedsCheck


def get_handoff_for_user(user: AnyUser, handoff_uuid: UUID | str) -> Handoff:
    handoff = (
        Handoff.objects.for_user(user)
        .select_related("from_agency__region", "to_agency__region", "client", "introduction", "needs_check")
        .filter(uuid=handoff_uuid)
        .first()
    )
    if handoff is None:
        raise Http404
    return handoff


def get_needs_check_for_user(user: AnyUser, client_uuid: UUID | str, check_uuid: UUID | str) -> NeedsCheck:
    check = (
        NeedsCheck.objects.for_user(user)
        .select_related("client__agency__region")
        .filter(uuid=check_uuid, client__uuid=client_uuid)
        .first()
    )
    if check is None:
        raise Http404
    return check
