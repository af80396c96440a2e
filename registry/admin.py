from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Field
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from registry.forms import support_kinds_field
from registry.models import Agency, AuditEntry, Employer, EmployerVisit, Membership, Prefecture, Region, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agency"]
    fields = ["agency", "role", "is_active"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "name", "name_kana", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "memberships__role"]
    search_fields = ["email", "name", "name_kana"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "name_kana"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin[Prefecture]):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "name_kana", "prefecture"]
    list_filter = ["prefecture"]
    search_fields = ["name", "name_kana", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "region", "phone", "is_active"]
    list_filter = ["kind", "is_active", "region__prefecture"]
    search_fields = ["name", "name_kana", "region__name"]
    autocomplete_fields = ["region"]

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # The kinds of support as named ticks, as on the agency's profile form, not a JSON list of codes.
        if db_field.name == "support_kinds":
            return support_kinds_field()
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "agency", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "agency__region"]
    search_fields = ["user__email", "user__name", "agency__name"]
    autocomplete_fields = ["user", "agency", "invited_by"]


class VisitInline(admin.TabularInline[EmployerVisit, Employer]):
    model = EmployerVisit
    extra = 0
    fields = ["visited_on", "visitors", "notes", "recorded_by"]
    autocomplete_fields = ["recorded_by"]


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    list_display = ["name", "name_kana", "kind", "industry", "region", "owner", "is_active", "updated_at"]
    list_filter = ["is_active", "kind", "industry", "region__prefecture", "region"]
    search_fields = ["name", "name_kana", "address", "description"]
    autocomplete_fields = ["region", "owner"]
    inlines = [VisitInline]


@admin.register(EmployerVisit)
class EmployerVisitAdmin(admin.ModelAdmin[EmployerVisit]):
    list_display = ["employer", "visited_on", "visitors", "recorded_by"]
    search_fields = ["employer__name", "visitors", "notes"]
    date_hierarchy = "visited_on"
    autocomplete_fields = ["employer", "recorded_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is never edited."""

    list_display = ["at", "action", "actor", "agency", "target_type", "target_id"]
    list_filter = ["action", "agency"]
    search_fields = ["action", "target_id", "actor__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
