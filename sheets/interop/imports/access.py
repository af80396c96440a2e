"""The door to import batches: the acting agency's coordinators only. Another agency's batch
is a 404; the agency's own batch without the coordinator role, 403."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry.models import AnyUser, Role, acting_membership
from sheets.interop.imports.models import ImportBatch


def can_import(user: AnyUser) -> bool:
    """Coordinators (and agency admins) of the acting agency import into it."""
    membership = acting_membership(user)
    return membership is not None and membership.has_role(Role.COORDINATOR)


def get_batch_for_user(user: AnyUser, batch_uuid: UUID) -> ImportBatch:
    """Another agency's batch (or none): 404; the agency's own batch without the role: 403."""
    batches = ImportBatch.objects.for_user(user).select_related("agency", "uploaded_by", "applied_by")
    batch = batches.filter(uuid=batch_uuid).first()
    if batch is None:
        raise Http404
    if not can_import(user):
        raise PermissionDenied
    return batch
