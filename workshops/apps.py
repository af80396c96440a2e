from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from registry.extensions import add_demo_seeder

        add_demo_seeder("workshops.demo.seed", order=30)
        add_demo_seeder("workshops.evaluation.demo.seed", order=40)
