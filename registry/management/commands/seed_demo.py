from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from registry import demo_data as demo
from registry.extensions import demo_seeders
from registry.models import Agency, Employer, EmployerVisit, Membership, Prefecture, Region, User

# Apps that add their own demo content through `<app>/demo.py: seed(stdout)` (after the registry's).


class Command(BaseCommand):
    help = "Load demo regions, agencies, staff and employers (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database has data.")

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Agency.objects.exists():
            self.stdout.write("Demo data already present.")
        else:
            with transaction.atomic():
                self.seed()
                # The other apps' demo data (registry.extensions: each app adds its seeder).
                for seed in demo_seeders():
                    seed(self.stdout)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_logins()

    def seed(self) -> None:
        prefectures = {
            code: Prefecture.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in demo.PREFECTURES
        }
        regions = {}
        for pref_code, code, name, kana in demo.REGIONS:
            regions[code], _ = Region.objects.get_or_create(
                code=code, defaults={"prefecture": prefectures[pref_code], "name": name, "name_kana": kana}
            )
        agencies = {}
        for region_code, name, kana, kind, address, phone in demo.AGENCIES:
            agencies[name], _ = Agency.objects.get_or_create(
                region=regions[region_code],
                name=name,
                defaults={"name_kana": kana, "kind": kind, "address": address, "phone": phone},
            )
        email, name, kana = demo.PLATFORM_ADMIN
        if not User.objects.filter(email=email).exists():
            User.objects.create_superuser(email, demo.DEMO_PASSWORD, name=name, name_kana=kana)
        users = {}
        for email, name, kana, roles in demo.STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, demo.DEMO_PASSWORD, name=name, name_kana=kana)
            users[email] = user
            for agency_name, role in roles:
                Membership.objects.get_or_create(user=user, agency=agencies[agency_name], defaults={"role": role})
        for (
            owner,
            region_code,
            name,
            kana,
            kind,
            industry,
            address,
            access,
            contact,
            staff,
            description,
        ) in demo.EMPLOYERS:
            Employer.objects.get_or_create(
                owner=agencies[owner],
                name=name,
                defaults={
                    "name_kana": kana,
                    "kind": kind,
                    "industry": industry,
                    "region": regions[region_code],
                    "postal_code": demo.EMPLOYER_POSTAL_CODES.get(name, ""),
                    "address": address,
                    "access_notes": access,
                    "contact_name": contact,
                    "staff_count": staff,
                    "description": description,
                },
            )
        today = timezone.localdate()
        for employer_name, days_ago, visitors, notes in demo.VISITS:
            employer = Employer.objects.get(name=employer_name)
            EmployerVisit.objects.get_or_create(
                employer=employer,
                visited_on=today - timedelta(days=days_ago),
                defaults={"visitors": visitors, "notes": notes},
            )

    def print_logins(self) -> None:
        if not (settings.DEBUG or settings.DEMO):
            self.stdout.write("Demo logins are listed only when DJANGO_DEMO or DJANGO_DEBUG is on.")
            return
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write(f"  {demo.PLATFORM_ADMIN[0]:34} platform admin")
        for email, name, _kana, roles in demo.STAFF:
            what = ", ".join(f"{role} @ {agency}" for agency, role in roles)
            self.stdout.write(f"  {email:34} {name}: {what}")
        self.stdout.write("")
