"""Template helpers for the client screens: choice-list labels."""

from django import template

register = template.Library()


@register.filter
def labels(obj, field_name: str) -> list[str]:
    """The translated labels of a ChoiceListField value, in the order of its choices."""
    return obj._meta.get_field(field_name).choice_labels(getattr(obj, field_name))
