"""Permission-matrix cases for the employer list download (CSV/Excel). Loaded by
tests/test_permission_matrix.py; the cross-agency sweep reads the files' contents."""

from django.urls import reverse

from tests.matrix_support import ALL_MEMBERS_OK, Case

MATRIX = {
    "employer_export": [
        Case("GET", lambda w: reverse("employer_export", args=["csv"]), ALL_MEMBERS_OK),
        Case("GET", lambda w: reverse("employer_export", args=["xlsx"]) + "?archived=on", ALL_MEMBERS_OK),
        Case("POST", lambda w: reverse("employer_export", args=["csv"]), {"*": 405}),
    ],
}
