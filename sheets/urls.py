"""The sheets app's URLs: each package lists its own (the URL map is in the README)."""

from django.urls import include, path

urlpatterns = [
    path("", include("sheets.search.urls")),
    path("", include("sheets.breakdowns.urls")),
    path("", include("sheets.programs.urls")),
    path("", include("sheets.printing.urls")),
    path("", include("sheets.clients.urls")),
    path("", include("sheets.network.urls")),
    path("", include("sheets.interop.urls")),
    path("", include("sheets.guide.urls")),
]
