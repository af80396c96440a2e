from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Work-information registry administration")
admin.site.site_title = _("Work-information registry")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("registry.urls")),
    path("", include("sheets.urls")),
    path("", include("workshops.urls")),
    path("", include("jobs.urls")),
]
