from django.urls import path

from jobs import views

urlpatterns = [
    path("jobs/<uuid:job_uuid>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_uuid>/download/", views.job_download, name="job_download"),
]
