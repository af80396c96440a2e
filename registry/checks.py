"""System checks of what a server's settings must hold (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register("settings", deploy=True)
def site_url_is_set(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "DJANGO_SITE_URL is not set: e-mailed notices (hand-offs) link to a bare path that mail "
            "programs cannot open.",
            hint="Set it to the address staff open the registry at, e.g. https://shigoto.example.lg.jp.",
            id="shigoto.W001",
        )
    ]
