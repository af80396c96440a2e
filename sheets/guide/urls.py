"""URLs of the guide: the page, its printable training edition and the writing check."""

from django.urls import path

from sheets.guide import views

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("guide/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("guide/writing-check/", views.writing_check, name="writing_check"),
]
