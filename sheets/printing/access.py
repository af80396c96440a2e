"""The door to photos: a photo is seen by whoever sees what it shows (the rule:
`PhotoQuerySet.for_user`); only the employer's coordinators change them."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry.access import is_coordinator_of
from registry.models import AnyUser
from sheets.printing.models import Photo


def get_photo_for_user(user: AnyUser, photo_uuid: UUID | str, *, write: bool = False) -> Photo:
    photo = Photo.objects.for_user(user).select_related("employer").filter(uuid=photo_uuid).first()
    if photo is None:
        raise Http404
    if write and not is_coordinator_of(user, photo.employer.owner_id):
        raise PermissionDenied
    return photo
