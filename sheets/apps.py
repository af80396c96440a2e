from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "sheets"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Sheets")

    def ready(self) -> None:
        from sheets import search_facets

        search_facets.connect()
