"""Permission-matrix cases for the program search's saved searches (the search page itself,
`program_list`, is in tests/sheets/matrix.py). Loaded by tests/test_permission_matrix.py."""

from django.urls import reverse

from sheets.search.models import SavedSearch
from tests.matrix_support import LOGIN, Case

POST_ONLY = {"*": 405}
# Saving needs an agency to act for: platform admins without a membership get 403.
MEMBERS_SAVE = {"anonymous": LOGIN, "platform_admin": 403, "*": 302}
# Only the owner (counselor_a) deletes; anyone else acting for an agency gets 404.
OWNER_ONLY = {"anonymous": LOGIN, "platform_admin": 403, "counselor_a": 302, "*": 404}


def extend_world(world) -> None:
    if hasattr(world, "saved_search_a"):
        return
    world.saved_search_a = SavedSearch.objects.create(
        user=world.counselor_a, agency=world.agency_a, name="伊丹の袋詰め", query="q=%E8%A2%8B%E8%A9%B0%E3%82%81"
    )


MATRIX = {
    "saved_search_add": [
        Case("GET", lambda w: reverse("saved_search_add"), POST_ONLY),
        Case(
            "POST",
            lambda w: reverse("saved_search_add"),
            MEMBERS_SAVE,
            data=lambda w: {"name": "新しい検索", "query": "q=x"},
        ),
    ],
    "saved_search_remove": [
        Case("GET", lambda w: reverse("saved_search_remove", args=[w.saved_search_a.uuid]), POST_ONLY),
        Case("POST", lambda w: reverse("saved_search_remove", args=[w.saved_search_a.uuid]), OWNER_ONLY),
    ],
}
