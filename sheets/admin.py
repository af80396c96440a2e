"""Django admin for platform admins. Staff use the app's screens (which go through services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.printing.models import EmployerIntro, Photo
from sheets.programs.models import Program, ReviewApproval, ReviewComment, ReviewLink, TimetableRow


class TaskRowInline(admin.StackedInline):
    model = TaskRow
    extra = 0


@admin.register(TaskBreakdown)
class TaskBreakdownAdmin(admin.ModelAdmin):
    list_display = ["employer", "visited_on", "visitors"]
    list_filter = ["employer__owner"]
    search_fields = ["employer__name", "rows__task"]
    autocomplete_fields = ["employer"]
    inlines = [TaskRowInline]


@admin.register(TaskRow)
class TaskRowAdmin(SimpleHistoryAdmin):
    list_display = ["task", "duty", "breakdown"]
    search_fields = ["task", "duty"]


class TimetableInline(admin.TabularInline):
    model = TimetableRow
    extra = 0


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["title", "employer", "owner", "engagement_type", "status", "sharing_scope", "last_verified_on"]
    list_filter = ["status", "sharing_scope", "engagement_type", "owner"]
    search_fields = ["title", "employer__name"]
    autocomplete_fields = ["employer", "owner"]
    filter_horizontal = ["source_rows"]
    readonly_fields = ["version"]
    inlines = [TimetableInline]


@admin.register(ReviewLink)
class ReviewLinkAdmin(admin.ModelAdmin):
    list_display = ["program", "expires_at", "revoked_at", "created_by"]
    readonly_fields = ["token_hash"]


admin.site.register(ReviewComment)
admin.site.register(ReviewApproval)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    # Uploads go through the app (decoded, EXIF removed, resized); the admin only lists and deletes.
    list_display = ["employer", "program", "caption", "width", "height", "created_at"]
    search_fields = ["employer__name", "program__title", "caption"]
    readonly_fields = ["image", "mime_type", "width", "height", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(EmployerIntro)
class EmployerIntroAdmin(admin.ModelAdmin):
    list_display = ["employer", "updated_at"]
    search_fields = ["employer__name"]
