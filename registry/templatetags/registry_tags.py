"""Template helpers of the registry's pages."""

from collections.abc import Iterator
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
    message: str
    anchor: str  # the id of the field's (first) input; "" for a field with nothing to go to


def _anchor(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if widget.is_hidden or not bound.auto_id:
        return ""
    # Radio and checkbox groups, and widgets of several inputs, number their inputs _0, _1, …
    numbered = isinstance(widget, forms.MultiWidget) or (isinstance(widget, ChoiceWidget) and widget.add_id_index)
    return f"{bound.auto_id}_0" if numbered else bound.auto_id


def _form_errors(form: forms.BaseForm, suffix: str = "") -> Iterator[FieldError]:
    for bound in form:
        label = f"{bound.label}{suffix}" if bound.label else suffix.strip()
        for message in bound.errors:
            yield FieldError(str(label), str(message), _anchor(bound))


@register.inclusion_tag("_partials/error_summary.html")
def error_summary(*forms_or_formsets: "forms.BaseForm | forms.BaseFormSet[Any]") -> dict[str, Any]:
    """The box above a form sent back with errors: what is wrong with the form as a whole, then
    each field's message as a link to the field, so a long form (a program's three sheets) is
    corrected from one list rather than by scrolling for red. Formset rows are named by number
    (「時刻 2」)."""
    general: list[str] = []
    fields: list[FieldError] = []
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            general += [str(e) for e in item.non_form_errors()]
            for number, row in enumerate(item.forms, start=1):
                general += [str(e) for e in row.non_field_errors()]
                fields += _form_errors(row, f" {number}")
        else:
            general += [str(e) for e in item.non_field_errors()]
            fields += _form_errors(item)
    return {"general": general, "fields": fields}
