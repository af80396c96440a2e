from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


# --- The search form's fields -----------------------------------------------------------------
# The keyword, the order and the side column's fourteen facets, written directly as Bootstrap
# markup. Through crispy's templates the facets took ≈ 13 ms of the search page's ≈ 70 ms and the
# keyword and order ≈ 3 ms more (docs/performance-history.md section 4); the markup is the same: a label or legend,
# the inputs tied to the search form, the error under the field.


def _error_ids(field) -> str:
    return f"{field.auto_id}_error"


def _errors(field) -> str:
    if not field.errors:
        return ""
    messages = format_html_join("", "<p><strong>{}</strong></p>", ((e,) for e in field.errors))
    return format_html('<div id="{}" class="invalid-feedback d-block">{}</div>', _error_ids(field), messages)


def _invalid_attrs(field) -> str:
    if not field.errors:
        return ""
    return format_html(' aria-invalid="true" aria-describedby="{}"', _error_ids(field))


def _help(field) -> str:
    return format_html('<div class="form-text">{}</div>', field.help_text) if field.help_text else ""


def _chosen(field) -> set[str]:
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(v) for v in values if v not in (None, "")}


CHECKED, SELECTED = mark_safe(" checked"), mark_safe(" selected")


def _marked(chosen: set[str], value, mark: str) -> str:
    return mark if str(value) in chosen else ""


def _counted(field, value, label) -> str:
    """The choice's label with the number of results once it is chosen, when counted
    (sheets/search/filters.py `facet_counts`)."""
    counts = getattr(field.field, "facet_counts", None)
    if counts is None or str(value) not in counts:
        return label
    return _("%(label)s (%(count)s)") % {"label": label, "count": counts[str(value)]}


def _checkboxes(field, form_id: str) -> str:
    chosen, invalid = _chosen(field), " is-invalid" if field.errors else ""
    rows = (
        (
            *(invalid, field.html_name, value, form_id, f"{field.auto_id}_{i}", _marked(chosen, value, CHECKED)),
            _counted(field, value, label),
        )
        for i, (value, label) in enumerate(field.field.choices)
    )
    boxes = format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" class="form-check-input{0}" name="{1}" value="{2}" form="{3}"'
        ' id="{4}"{5}><label for="{4}" class="form-check-label">{6}</label></div>',
        rows,
    )
    return format_html(
        '<fieldset{}><legend class="form-label fs-6">{}</legend><div>{}</div>{}{}</fieldset>',
        format_html(' aria-describedby="{}"', _error_ids(field)) if field.errors else "",
        field.label,
        boxes,
        _errors(field),
        _help(field),
    )


def _select(field, form_id: str) -> str:
    chosen = _chosen(field) or {""}
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, _marked(chosen, value, SELECTED), _counted(field, value, label))
            for value, label in field.field.choices
        ),
    )
    default = field.field.widget.attrs.get("data-default")
    return format_html(
        '<label for="{}" class="form-label">{}</label><select name="{}" form="{}" class="form-select{}" id="{}"{}{}>'
        "{}</select>{}{}",
        field.auto_id,
        field.label,
        field.html_name,
        form_id,
        " is-invalid" if field.errors else "",
        field.auto_id,
        _invalid_attrs(field),
        format_html(' data-default="{}"', default) if default else "",
        options,
        _errors(field),
        _help(field),
    )


def _text(field) -> str:
    widget = field.field.widget
    attrs = {**widget.attrs, "type": widget.attrs.get("type", widget.input_type), "name": field.html_name}
    attrs |= {"class": "form-control" + (" is-invalid" if field.errors else ""), "id": field.auto_id}
    value = field.value()
    if value not in (None, ""):
        attrs["value"] = str(value)
    return format_html(
        '<label for="{}" class="form-label">{}</label><input{}{}>{}{}',
        field.auto_id,
        field.label,
        flatatt(attrs),  # escapes every value
        _invalid_attrs(field),
        _errors(field),
        _help(field),
    )


@register.simple_tag
def search_field(field, oob: bool = False) -> str:
    """One field of the program search: checkboxes in a fieldset, a labelled select, or a
    labelled text box (the keyword). `oob`: for htmx's out-of-band swap, so that a results
    update also refreshes the facet's counts (htmx keeps the focus on an element of the same id)."""
    widget = field.field.widget
    form_id = widget.attrs.get("form", "")
    if isinstance(widget, forms.CheckboxSelectMultiple):
        inner = _checkboxes(field, form_id)
    elif isinstance(widget, forms.Select):
        inner = _select(field, form_id)
    else:
        inner = _text(field)
    swap = mark_safe(' hx-swap-oob="true"') if oob else ""
    return format_html('<div id="div_{}" class="mb-3"{}>{}</div>', field.auto_id, swap, inner)
