from collections.abc import Iterable
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, Employer, EmployerVisit, Region, Role, User

CHOOSE = _("Choose…")


class CrispyMixin(forms.BaseForm):
    """Forms render with crispy-forms; the template supplies <form> and the buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            _label_blank_choice(field)


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields the form has, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _label_blank_choice(field: forms.Field) -> None:
    """One wording for "nothing chosen yet" in every select (Django's default is untranslated)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(cast("Iterable[tuple[Any, Any]]", field.choices))
        if choices and choices[0][0] == "":
            field.choices = [("", CHOOSE), *choices[1:]]


class EmployerForm(CrispyMixin, forms.ModelForm[Employer]):
    # Optimistic locking: the version the user started editing from.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Employer
        fields = [
            "name",
            "name_kana",
            "kind",
            "industry",
            "region",
            "address",
            "access_notes",
            "contact_name",
            "contact_phone",
            "contact_email",
            "staff_count",
            "description",
        ]
        widgets = {
            "access_notes": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, agency: Agency | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Employers are registered in the acting agency's prefecture.
        regions = Region.objects.select_related("prefecture")
        if agency is not None:
            regions = regions.filter(prefecture_id=agency.region.prefecture_id)
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = regions
        if agency is not None and not self.instance.pk:
            self.fields["region"].initial = agency.region_id
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["name_kana"].widget.attrs["placeholder"] = "かぶしきがいしゃ○○"


class VisitForm(CrispyMixin, forms.ModelForm[EmployerVisit]):
    class Meta:
        model = EmployerVisit
        fields = ["visited_on", "visitors", "notes"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class InviteForm(CrispyMixin, forms.Form):
    email = forms.EmailField(label=_("e-mail address"))
    name = forms.CharField(label=_("name"), max_length=100)
    name_kana = forms.CharField(
        label=_("name (kana)"), max_length=100, required=False, validators=User._meta.get_field("name_kana").validators
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.COUNSELOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class AgencySwitchForm(forms.Form):
    agency = forms.UUIDField()
