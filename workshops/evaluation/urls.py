from django.urls import path, re_path

from workshops.evaluation import views

urlpatterns = [
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("evaluation.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    re_path(r"^evaluation\.(?P<fmt>csv|xlsx)$", views.evaluation_export, name="evaluation_export"),
]
