from django.urls import path  # noqa: F401 (patterns arrive with the sheets issue)

urlpatterns: list = []
