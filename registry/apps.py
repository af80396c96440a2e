from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # Registers the system checks; connects the account signal receivers.
        from registry import checks, security  # noqa: F401
