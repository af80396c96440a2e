from django import template

from registry.access import acting_membership
from sheets.saved_searches import saved_searches_for

register = template.Library()


@register.simple_tag(takes_context=True)
def my_saved_searches(context) -> list:
    """The signed-in user's saved searches for the agency they act for (dashboard)."""
    user = context["request"].user
    membership = acting_membership(user) if user.is_authenticated else None
    return list(saved_searches_for(user, membership.agency if membership else None))
