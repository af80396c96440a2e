"""Every form's labels start with a capital letter in English, as Django's own labels do.

Labels are written lower-case where they are also a model's verbose_name ("engagement type",
"region"): Django capitalises the labels it makes from a model field (capfirst) but shows a given
label as it is, so the English search and list filters read 「engagement type」. One renderer for
every form (settings.FORM_RENDERER) capitalises them where they are shown; Japanese has no
capitals and is left as it is."""

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.text import capfirst


class CapitalisedBoundField(BoundField):
    def __init__(self, form: Any, field: Any, name: str) -> None:
        super().__init__(form, field, name)
        self.label = capfirst(self.label)


class FormRenderer(DjangoTemplates):
    bound_field_class = CapitalisedBoundField
