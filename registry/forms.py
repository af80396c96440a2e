from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry import postal
from registry.models import Agency, Employer, EmployerVisit, Region, Role, User
from registry.postal import normalise_postal_code

CHOOSE = _("Choose…")


class CrispyMixin:
    """Forms render with crispy-forms; the template supplies <form> and the buttons."""

    def __init__(self, *args, **kwargs) -> None:
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
        choices = list(field.choices)
        if choices and choices[0][0] == "":
            field.choices = [("", CHOOSE), *choices[1:]]


class EmployerForm(CrispyMixin, forms.ModelForm):
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
            "postal_code",
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

    def __init__(self, *args, agency: Agency | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Employers are registered in the acting agency's prefecture.
        regions = Region.objects.select_related("prefecture")
        if agency is not None:
            regions = regions.filter(prefecture_id=agency.region.prefecture_id)
        self.fields["region"].queryset = regions
        if agency is not None and not self.instance.pk:
            self.fields["region"].initial = agency.region_id
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["name_kana"].widget.attrs["placeholder"] = "かぶしきがいしゃ○○"
        code = self.fields["postal_code"]
        code.max_length = 12  # 〒 and spaces allowed while typing; stored as 123-4567
        code.validators = []
        code.widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": "12"})
        self.fields["address"].required = False  # may be filled in from the postal code (clean)

    def clean_postal_code(self) -> str:
        code = normalise_postal_code(self.cleaned_data.get("postal_code", ""))
        postal.validate_postal_code(code)
        return code

    def clean(self) -> dict[str, Any]:
        """A postal code must exist (Japan Post's data, offline) and lie in the chosen
        municipality's prefecture; a blank address is filled in from it."""
        cleaned = super().clean() or {}
        code = cleaned.get("postal_code")
        if code and "postal_code" not in self.errors:
            found = postal.lookup(code)
            region = cleaned.get("region")
            if found is None:
                self.add_error("postal_code", _("This postal code does not exist. Check the seven digits."))
            elif region is not None and found.prefecture != region.prefecture.name:
                self.add_error(
                    "postal_code",
                    _("This postal code is in %(prefecture)s, not in %(region)s.")
                    % {"prefecture": found.prefecture, "region": region.prefecture.name},
                )
            elif not cleaned.get("address"):
                cleaned["address"] = found.address
                self.instance.address = found.address
        if not cleaned.get("address") and "address" not in self.errors:
            self.add_error("address", _("Write the address, or a postal code to fill it in from."))
        return cleaned


class VisitForm(CrispyMixin, forms.ModelForm):
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
