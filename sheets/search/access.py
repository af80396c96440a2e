"""The door to saved searches: a counselor's own, for the agency they act for now."""

from uuid import UUID

from django.http import Http404

from registry.models import Agency, AnyUser
from sheets.search.models import SavedSearch


def get_saved_search_for_user(user: AnyUser, agency: Agency | None, saved_uuid: UUID | str) -> SavedSearch:
    saved = SavedSearch.objects.for_user(user, agency).filter(uuid=saved_uuid).first()
    if saved is None:
        raise Http404
    return saved
