"""Template helpers of the registry's pages."""

from dataclasses import dataclass
from typing import Any, cast

from django import forms, template
from django.forms.widgets import ChoiceWidget
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template
from django.utils.safestring import SafeString

from registry.extensions import ShownSection
from registry.models import is_stopped

register = template.Library()


@register.simple_tag(takes_context=True)
def show_section(context: template.Context, section: ShownSection) -> SafeString:
    """Render a section another app adds to this page (registry/extensions.py) with the page's
    context and the section's own."""
    with context.push(**section.context):
        # The engine's own Template renders with a Context (the loader's wrapper wants a dict).
        return cast(DjangoTemplate, get_template(section.template)).template.render(context)


@register.simple_tag
def account_stopped(user: object) -> bool:
    """For the 403 page: a stopped person is told so, not that their role does not allow it."""
    return is_stopped(user)


@dataclass(frozen=True)
class FieldError:
    label: str
    message: str  # every message of the field, in one line
    anchor: str  # the id of the field's (first) input; "" for a field with nothing to go to


def _anchor(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if widget.is_hidden or not bound.auto_id:
        return ""
    if isinstance(widget, ChoiceWidget):  # a radio or checkbox group: its first box (a select: itself)
        return widget.id_for_label(bound.auto_id, "0")
    # Widgets of several inputs name no label target; their inputs are numbered _0, _1, …
    return bound.id_for_label or f"{bound.auto_id}_0"


def page_order(form: forms.BaseForm) -> list[str]:
    """The form's field names as the page shows them: a form laid out in sections (the program's
    three sheets, `SECTIONS`) by its sections, then any field they do not name."""
    named = [name for _title, names in getattr(form, "SECTIONS", ()) for name in names]
    return named + [name for name in form.fields if name not in named]


def _field_errors(form: forms.BaseForm, names: list[str], suffix: str = "") -> list[FieldError]:
    errors = []
    for name in names:
        bound = form[name]
        if bound.errors:
            label = f"{bound.label}{suffix}" if bound.label else suffix.strip()
            errors.append(FieldError(str(label), " ".join(str(e) for e in bound.errors), _anchor(bound)))
    return errors


SUMMARY_LINES = 10


@register.inclusion_tag("_partials/error_summary.html")
def error_summary(
    form: forms.BaseForm, *formsets: "forms.BaseFormSet[Any]", formsets_after: str = ""
) -> dict[str, Any]:
    """The box above a form sent back with errors: what is wrong with the form as a whole, then
    each field's messages as a link to the field, in the page's order, so a long form (a
    program's three sheets) is corrected from one list rather than by scrolling for red.
    `formsets` (the program's timetable) are listed after the field `formsets_after`, where the
    page shows them; their rows are named by number (「時刻 2」)."""
    general = [str(e) for e in form.non_field_errors()]
    # Said here, so not again by crispy's box when the template renders the whole form
    # (templates/bootstrap5/errors.html); forms shown without a summary keep that box.
    form.errors_summarised = True  # type: ignore[attr-defined]
    rows: list[FieldError] = []
    for formset in formsets:
        general += [str(e) for e in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            general += [str(e) for e in row.non_field_errors()]
            rows += _field_errors(row, list(row.fields), f" {number}")
    names = page_order(form)
    cut = names.index(formsets_after) + 1 if formsets_after in names else len(names)
    fields = _field_errors(form, names[:cut]) + rows + _field_errors(form, names[cut:])
    # A list is read only so far: past SUMMARY_LINES (every reading of ② typed wrong) the rest
    # are counted, each still said under its field.
    return {"general": general, "fields": fields[:SUMMARY_LINES], "more": len(fields[SUMMARY_LINES:])}
