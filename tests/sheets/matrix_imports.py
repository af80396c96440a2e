"""Permission-matrix cases for the spreadsheet import (merged by tests/test_permission_matrix.py).

Import batches are their agency's working papers: coordinators and agency admins of that agency
only. Another agency (and the platform admin, who acts for no agency) gets 404 for a batch;
A's counselor 403; nobody without an agency imports (403)."""

from django.urls import reverse

from sheets.interop.imports import services as import_services
from tests.matrix_support import LOGIN, Case
from tests.sheets.import_files import csv_text, rows_for, upload

IMPORTERS_A = {"anonymous": LOGIN, "agency_admin_a": 200, "coordinator_a": 200, "*": 403}
BATCH_A = {"anonymous": LOGIN, "agency_admin_a": 200, "coordinator_a": 200, "counselor_a": 403, "*": 404}
CONFIRM_A = BATCH_A | {"agency_admin_a": 302, "coordinator_a": 302}


def extend_world(world) -> None:
    if hasattr(world, "import_batch_a"):
        return
    rows = rows_for(2)
    rows[0]["事業所名"] = "取り込み中の事業所"
    world.import_batch_a = import_services.import_batch_create(
        agency=world.agency_a, by=world.coordinator_a, upload=upload("取り込み.csv", csv_text(rows).encode())
    )


def batch(name):
    return lambda w: reverse(name, args=[w.import_batch_a.uuid])


MATRIX = {
    "import_start": [
        Case("GET", lambda w: reverse("import_start"), IMPORTERS_A),
        # No file: the form comes back with its error (nothing is read or written).
        Case("POST", lambda w: reverse("import_start"), IMPORTERS_A),
    ],
    "import_template": [
        Case("GET", lambda w: reverse("import_template", args=["xlsx"]), IMPORTERS_A),
        Case("GET", lambda w: reverse("import_template", args=["csv"]), IMPORTERS_A),
        Case("GET", lambda w: "/imports/template.pdf", {"anonymous": 404, "*": 404}),
    ],
    "import_preview": [
        Case("GET", batch("import_preview"), BATCH_A),
        Case("GET", lambda w: "/imports/00000000-0000-0000-0000-000000000000/", {"anonymous": LOGIN, "*": 404}),
    ],
    "import_confirm": [
        Case("POST", batch("import_confirm"), CONFIRM_A),
        Case("GET", batch("import_confirm"), {"*": 405}),
    ],
}
