from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from registry.models import acting_membership, memberships_of


def acting_agency(request: HttpRequest) -> dict[str, Any]:
    """The acting membership and the others the user may switch to, for the header."""
    user = getattr(request, "user", None)
    return {
        "acting_membership": SimpleLazyObject(lambda: acting_membership(user)),
        "my_memberships": SimpleLazyObject(lambda: memberships_of(user)),
    }
