"""Permission-matrix cases for the guide (/guide/, its PDF, the writing check) and ②'s furigana
readings page. Loaded by tests/test_permission_matrix.py next to the other matrix files."""

from django.urls import reverse

from tests.matrix_support import ALL_MEMBERS_OK, LOGIN, Case
from tests.sheets.matrix_print import EDIT_A_FORM, NOBODY


def furigana(attr):
    return lambda w: reverse("furigana_edit", args=[getattr(w, attr).uuid])


MATRIX = {
    # The guide holds no agency data: every member reads it.
    "guide": [Case("GET", lambda w: reverse("guide"), ALL_MEMBERS_OK), Case("POST", lambda w: "/guide/", {"*": 405})],
    "guide_pdf": [Case("GET", lambda w: reverse("guide_pdf"), ALL_MEMBERS_OK)],
    # Reads the posted text, writes nothing; POST because the text can be long.
    "writing_check": [
        Case(
            "POST",
            lambda w: reverse("writing_check"),
            ALL_MEMBERS_OK,
            data=lambda w: {"field": "what_you_do", "what_you_do": "作業に従事します。"},
        ),
        Case("GET", lambda w: reverse("writing_check"), {"*": 405}),
    ],
    "furigana_edit": [
        Case("GET", furigana("print_draft_a"), EDIT_A_FORM | {"counselor_b": 404}),
        Case("GET", furigana("print_published_a"), EDIT_A_FORM),
        Case(
            "POST",
            furigana("print_published_a"),
            {"anonymous": LOGIN, "counselor_a": 403, "counselor_b": 403, "counselor_c": 404, "*": 302},
            data=lambda w: {"version": w.print_published_a.version, "furigana": "on"},
        ),
        Case("GET", lambda w: f"/programs/{NOBODY}/sheets/client/furigana/", {"anonymous": LOGIN, "*": 404}),
    ],
}
