"""Workshop forms for tests/test_fuzz_forms.py (objects come from the matrix modules' extend_world)."""

from tests.test_fuzz_forms import FuzzForm

FORMS = [
    FuzzForm("series_create", "coordinator_a", lambda w: "/workshops/new/"),
    FuzzForm("session_create", "coordinator_a", lambda w: f"/workshops/{w.series_a.uuid}/sessions/new/"),
    FuzzForm("card_create", "coordinator_a", lambda w: f"/workshops/sessions/{w.session_a.uuid}/", "/cards/"),
    FuzzForm("item_create", "coordinator_a", lambda w: f"/workshops/{w.series_a.uuid}/logic-model/edit/", "/items/"),
]
