from django import forms, template
from django.utils.translation import gettext as _

from sheets.dimensions import rows_for_display
from sheets.programs.models import Program, ProgramStatus

register = template.Library()

STATUS_STYLE = {
    ProgramStatus.DRAFT: ("text-bg-light border", "bi-pencil"),
    ProgramStatus.IN_REVIEW: ("text-bg-warning", "bi-chat-square-text"),
    ProgramStatus.PUBLISHED: ("text-bg-success", "bi-check-circle"),
    ProgramStatus.ARCHIVED: ("text-bg-secondary", "bi-archive"),
}


@register.filter
def labels(obj, field_name: str) -> str:
    """Choice-list field of `obj` as its labels joined with 、 (— when empty)."""
    field = obj._meta.get_field(field_name)
    return "、".join(field.choice_labels(getattr(obj, field_name))) or "—"


@register.inclusion_tag("sheets/_partials/status_badge.html")
def status_badge(program: Program) -> dict:
    css, icon = STATUS_STYLE.get(program.status, ("text-bg-light", "bi-circle"))
    return {"label": program.get_status_display(), "css": css, "icon": icon}


@register.simple_tag
def demand_list(ratings) -> list[dict]:
    """The ten dimensions in order with their level (None = not rated) and its description."""
    return rows_for_display(ratings)


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons and checkbox lists render as an inline group with a legend."""
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_wide(bound_field) -> bool:
    return is_choice_group(bound_field) or isinstance(bound_field.field.widget, forms.Textarea)


def _join(*parts) -> str:
    kept = [str(p) for p in parts if p not in (None, "", "—")]
    return "・".join(kept) or "—"


@register.simple_tag
def row_facts(row) -> list[tuple[str, str]]:
    """A task row's facts as (label, text) lines for its card: empty parts are left out."""
    field = row._meta.get_field

    def names(name: str) -> str:
        return "、".join(field(name).choice_labels(getattr(row, name)))

    duration = _("about %(m)s min") % {"m": row.duration_minutes} if row.duration_minutes else ""
    lifting = _("up to %(kg)s kg") % {"kg": row.lifting_kg} if row.lifting_kg else ""
    people = _("%(n)s people") % {"n": row.capacity} if row.capacity else ""
    cut_out = row.get_cut_out_display() + (f"：{row.cut_out_conditions}" if row.cut_out_conditions else "")
    return [
        (
            field("frequency").verbose_name,
            _join(row.get_frequency_display(), names("months"), duration, row.batch_size),
        ),
        (field("place").verbose_name, _join(row.get_place_display(), names("postures"), lifting)),
        (field("environment_factors").verbose_name, _join(names("environment_factors"))),
        (field("tools").verbose_name, _join(row.tools, row.protective_gear)),
        (field("teaching_methods").verbose_name, _join(names("teaching_methods"))),
        (field("cut_out").verbose_name, cut_out or "—"),
        (
            field("engagement_types").verbose_name,
            _join(names("engagement_types"), people, names("days"), row.time_slots),
        ),
    ]
