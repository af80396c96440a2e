from django.contrib import admin

from workshops.models import (
    LogicModel,
    LogicModelItem,
    Mechanism,
    OpinionCard,
    RegionStep,
    SurveyAnswer,
    WorkshopSeries,
    WorkshopSession,
)


class SessionInline(admin.TabularInline):
    model = WorkshopSession
    extra = 0
    fields = ["number", "held_on", "place", "duration_minutes", "is_open"]


@admin.register(WorkshopSeries)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "organiser", "created_at"]
    list_filter = ["region__prefecture"]
    search_fields = ["title"]
    filter_horizontal = ["participants"]
    inlines = [SessionInline]


@admin.register(OpinionCard)
class CardAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "theme", "table", "votes", "merged_into"]
    list_filter = ["theme"]
    search_fields = ["text"]
    raw_id_fields = ["session", "merged_into", "heading", "agency"]


class ItemInline(admin.TabularInline):
    model = LogicModelItem
    extra = 0
    fields = ["column", "category", "text", "position", "figure"]


@admin.register(LogicModel)
class LogicModelAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "status", "revision", "updated_at"]
    inlines = [ItemInline]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["session", "submitted_at", "new_connections"]
    readonly_fields = ["submission_id"]


@admin.register(RegionStep)
class RegionStepAdmin(admin.ModelAdmin):
    list_display = ["region", "step", "status", "started_on", "completed_on"]


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["region", "kind", "custom_name", "agency", "position"]
