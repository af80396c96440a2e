from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "sheets"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Sheets")

    def ready(self) -> None:
        # What the sheets add to the registry (registry/extensions.py): sections of its home and
        # employer pages, the demo data, and the search text of an edited employer's programs;
        # and what the network adds to a client's erasure and consents (sheets/clients/extensions.py).
        from registry.extensions import (
            EMPLOYER,
            HOME,
            RegionFigure,
            Section,
            add_demo_seeder,
            add_region_figure,
            add_section,
            add_visit_links,
            employer_changed,
        )
        from sheets.breakdowns.selectors import employer_sheets_section, visit_breakdown_links
        from sheets.clients.extensions import client_erasing, sensitive_consent_withdrawn
        from sheets.clients.selectors import followups_section, upcoming_section
        from sheets.network.selectors import handoffs_section, referral_notices_section, region_handoff_count
        from sheets.network.services import erase_needs_check_health, forget_erased_client
        from sheets.printing.selectors import employer_intro_section, employer_photos_section
        from sheets.programs.search_fields import employer_changed_receiver
        from sheets.programs.selectors import coordinator_work_section
        from sheets.search import facets
        from sheets.search.selectors import saved_searches_section

        facets.connect()
        _limit_image_pixels()
        employer_changed.connect(employer_changed_receiver, dispatch_uid="sheets.programs.search_fields")
        # What the network keeps of a client (hand-offs, needs checks) follows their erasure and consent.
        client_erasing.connect(forget_erased_client, dispatch_uid="sheets.network.erasure")
        sensitive_consent_withdrawn.connect(erase_needs_check_health, dispatch_uid="sheets.network.health")
        add_section(HOME, Section("sheets/_partials/coordinator_work.html", coordinator_work_section, order=10))
        add_section(HOME, Section("sheets/clients/_partials/upcoming_experiences.html", upcoming_section, order=19))
        add_section(HOME, Section("sheets/clients/_partials/followups_due.html", followups_section, order=20))
        add_section(HOME, Section("sheets/_partials/dashboard_saved_searches.html", saved_searches_section, order=30))
        add_section(HOME, Section("sheets/network/_partials/home_handoffs.html", handoffs_section, order=15))
        add_section(
            HOME, Section("sheets/network/_partials/home_referral_notices.html", referral_notices_section, order=16)
        )
        add_section(
            EMPLOYER, Section("sheets/_partials/employer_sheets_section.html", employer_sheets_section, order=20)
        )
        add_section(EMPLOYER, Section("sheets/_partials/employer_intro_card.html", employer_intro_section, order=25))
        add_section(EMPLOYER, Section("sheets/_partials/employer_print_panel.html", employer_photos_section, order=30))
        add_visit_links(visit_breakdown_links)
        add_demo_seeder("sheets.demo.seed.seed", order=20)
        add_region_figure(RegionFigure("handoffs", _("Hand-offs between agencies"), region_handoff_count, order=90))


def _limit_image_pixels() -> None:
    """Pillow refuses images above twice MAX_IMAGE_PIXELS (decompression bombs); its default
    (≈ 89 million) let a 169-million-pixel PNG through. Photos are the only images we decode:
    the same limit as their upload check (sheets/printing/photos.py)."""
    from django.conf import settings
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.SHEETS_PHOTO_MAX_MEGAPIXELS * 1_000_000
