"""Sheets forms for tests/test_fuzz_forms.py (objects come from the matrix modules' extend_world)."""

from tests.test_fuzz_forms import FuzzForm

FORMS = [
    FuzzForm("program_edit", "coordinator_a", lambda w: f"/programs/{w.program_draft_a.uuid}/edit/"),
    FuzzForm("breakdown_create", "coordinator_a", lambda w: f"/employers/{w.employer_a.uuid}/breakdowns/new/"),
    FuzzForm(
        "row_add",
        "coordinator_a",
        lambda w: f"/employers/{w.employer_a.uuid}/breakdowns/{w.breakdown_a.uuid}/",
        "/rows/new/",
    ),
    FuzzForm("employer_intro", "coordinator_a", lambda w: f"/employers/{w.employer_a.uuid}/introduction/"),
    FuzzForm("client_create", "counselor_a", lambda w: "/clients/new/"),
    FuzzForm("introduction_create", "counselor_a", lambda w: f"/clients/{w.client_a.uuid}/introductions/new/"),
    FuzzForm("import_upload", "coordinator_a", lambda w: "/imports/"),
    FuzzForm("client_erase", "coordinator_a", lambda w: f"/clients/{w.client_a.uuid}/erasure/", "/erase/"),
]
