"""Template helpers of the registry's pages."""

from typing import cast

from django import template
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
