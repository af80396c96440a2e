"""URLs of the program search (the whole search in the query string) and saved searches."""

from django.urls import path

from sheets.search import views

urlpatterns = [
    path("programs/", views.program_search, name="program_list"),
    path("programs/saved-searches/", views.saved_search_add, name="saved_search_add"),
    path("programs/saved-searches/<uuid:saved_uuid>/delete/", views.saved_search_remove, name="saved_search_remove"),
]
