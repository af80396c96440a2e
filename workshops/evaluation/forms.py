from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.evaluation.periods import year_choices


class EvaluationForm(forms.Form):
    """Which region of the prefecture and which fiscal year (GET: the page's address says it)."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(str(r.uuid), f"{r.prefecture.name} {r.name}") for r in regions]
        self.fields["year"].choices = year_choices()
        self.fields["region"].error_messages["invalid_choice"] = _("Choose a region of your prefecture.")
        self.fields["year"].error_messages["invalid_choice"] = _("Choose one of the fiscal years in the list.")
