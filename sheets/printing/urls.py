"""URLs of printing: sheet previews and PDFs, the task breakdown sheet, the 印刷リスト and its
binder, photos and the ① introduction."""

from django.urls import path, register_converter

from sheets.printing import views


class SheetKindConverter:
    regex = "employer|client|supporter"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SheetKindConverter, "sheetkind")

BREAKDOWN = "employers/<uuid:employer_uuid>/breakdowns/<uuid:breakdown_uuid>"

urlpatterns = [
    # Sheets ① ② ③: print preview and PDF.
    path("programs/<uuid:program_uuid>/sheets/<sheetkind:kind>/", views.sheet_preview, name="sheet_preview"),
    path("programs/<uuid:program_uuid>/sheets/<sheetkind:kind>.pdf", views.sheet_pdf, name="sheet_pdf"),
    # The printed hand-out of a new review link (its token is posted by the page showing it).
    path(
        "programs/<uuid:program_uuid>/review-links/<uuid:link_uuid>/handout.pdf",
        views.review_handout_pdf,
        name="review_link_handout",
    ),
    # ② with furigana: the coordinator corrects the readings (content: a new revision).
    path("programs/<uuid:program_uuid>/sheets/client/furigana/", views.furigana_edit, name="furigana_edit"),
    # 印刷リスト (session) and the binder PDF.
    path("programs/print-list/", views.print_list, name="print_list"),
    path("programs/<uuid:program_uuid>/print-list/", views.print_list_toggle, name="print_list_toggle"),
    path("programs/binder.pdf", views.binder_pdf, name="binder_pdf"),
    # Task breakdown sheet: filled and blank (the interview guide).
    path(BREAKDOWN + "/print/", views.breakdown_print, name="breakdown_print"),
    path(BREAKDOWN + ".pdf", views.breakdown_pdf, name="breakdown_pdf"),
    path("breakdowns/blank/", views.breakdown_blank_print, name="breakdown_blank_print"),
    path("breakdowns/blank.pdf", views.breakdown_blank_pdf, name="breakdown_blank_pdf"),
    # Photos: served only through the access check; uploads by the owning agency's coordinators.
    path("photos/<uuid:photo_uuid>/", views.photo_serve, name="photo_serve"),
    path("photos/<uuid:photo_uuid>/delete/", views.photo_delete, name="photo_delete"),
    path(
        "employers/<uuid:employer_uuid>/photos/",
        views.photo_upload,
        {"target": "employer"},
        name="employer_photo_upload",
    ),
    path(
        "programs/<uuid:program_uuid>/photos/", views.photo_upload, {"target": "program"}, name="program_photo_upload"
    ),
    path(BREAKDOWN + "/photos/", views.photo_upload, {"target": "breakdown"}, name="breakdown_photo_upload"),
    # The employer contact's review link (no account): the draft sheets as they will print.
    path("review/<str:token>/sheets/<sheetkind:kind>/", views.review_sheet, name="review_sheet"),
    path("review/<str:token>/sheets/<sheetkind:kind>.pdf", views.review_sheet_pdf, name="review_sheet_pdf"),
    # ① 事業所紹介シート: what it says beyond the employer record.
    path("employers/<uuid:employer_uuid>/introduction/", views.employer_intro_edit, name="employer_intro_edit"),
    # The self-introduction: the host employer's copy, only the consented sections.
    path(
        "clients/<uuid:client_uuid>/introductions/<uuid:introduction_uuid>.pdf",
        views.introduction_pdf,
        name="introduction_pdf",
    ),
]
