from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin


class SavedSearchForm(CrispyMixin, forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
