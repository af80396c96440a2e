"""Template helpers for the client screens: choice-list labels, the follow-ups due on the
dashboard and the suppressed outcome counts on a program page."""

from django import template

register = template.Library()


@register.filter
def labels(obj, field_name: str) -> list[str]:
    """The translated labels of a ChoiceListField value, in the order of its choices."""
    return obj._meta.get_field(field_name).choice_labels(getattr(obj, field_name))


@register.inclusion_tag("sheets/clients/_partials/followups_due.html", takes_context=True)
def followups_due(context) -> dict:
    from sheets.views_clients import followups_due as due

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"due": due(user) if user is not None and user.is_authenticated else []}


@register.inclusion_tag("sheets/clients/_partials/outcome_counts.html")
def program_outcomes(program) -> dict:
    from sheets.selectors import program_outcome_counts

    return {"counts": program_outcome_counts(program).values(), "program": program}
