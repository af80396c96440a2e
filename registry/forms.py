import contextlib
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from registry import postal
from registry.models import Agency, Employer, EmployerVisit, Region, Role, SupportKind, User
from registry.postal import normalise_postal_code
from registry.printable import PRINTED_EMPLOYER_FIELDS, validate_printable

CHOOSE = _("Choose…")
# Django 6.1 labels the blank option of a model field's select with this lazy string, which its
# Japanese catalogue lacks: naming it here keeps it in ours (locale/ja), translated.
DJANGO_BLANK_CHOICE = _("- Select an option -")
# Django's Japanese for a text over its length reads 「この値は 50 文字以下でなければなりません( 51 文字に
# なっています)。」 (half-width brackets, stray spaces) on forms, imports and the API alike; named here
# so that ours (locale/ja) says it plainly, as the live counter does.
DJANGO_TOO_LONG = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)
# …and for a number out of range 「この値は 0 以上でなければなりません。」 (a weight of -5 kg).
DJANGO_AT_LEAST = _("Ensure this value is greater than or equal to %(limit_value)s.")
DJANGO_AT_MOST = _("Ensure this value is less than or equal to %(limit_value)s.")

# Django's Japanese for an empty required field and a failed login say 「フィールド」, a word the
# staff do not use: named here so that ours (locale/ja) says 「この項目」 and what to check.
DJANGO_REQUIRED = _("This field is required.")
DJANGO_LOGIN_FAILED = _(
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
)


class CrispyMixin(forms.BaseForm):
    """Forms render with crispy-forms; the template supplies <form> and the buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            _label_blank_choice(field)
            if isinstance(field, forms.CharField) and field.strip:
                field.to_python = _without_blanks(field)  # type: ignore[method-assign,assignment]  # this field only
        show_length_limits(self)


# Blanks that show as nothing but that str.strip() keeps: format characters (Unicode Cf: the
# zero-width space U+200B, joiners, direction marks, the BOM), controls, and fillers that Unicode
# counts as letters or symbols (ハングルの埋め字 U+3164, the blank Braille pattern U+2800).
BLANK_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _is_blank(char: str) -> bool:
    return char.isspace() or char in BLANK_FILLERS or unicodedata.category(char) in BLANK_CATEGORIES


def strip_blanks(text: str) -> str:
    """`text` without blank or invisible characters at either end: a name typed (or pasted) as
    two zero-width spaces is empty, and refused as one, instead of being saved as an empty cell."""
    start, end = 0, len(text)
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    return text[start:end]


def _without_blanks(field: forms.CharField) -> Callable[[Any], Any]:
    """The field's to_python, then its ends cleared of blanks (every text field of the forms:
    Django strips only what str.strip() knows as white space)."""
    to_python = field.to_python

    def wrapped(value: Any) -> Any:
        value = to_python(value)
        if not isinstance(value, str):
            return value
        value = strip_blanks(value)
        return field.empty_value if value in field.empty_values else value

    return wrapped


def _length_cap(form: forms.BaseForm, name: str, field: forms.Field) -> int | None:
    """The tightest MaxLengthValidator of a form field or of its model field: the print caps
    (sheets/programs/limits.py and the like) are model validators, stated once."""
    validators = list(field.validators)
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        with contextlib.suppress(FieldDoesNotExist):  # a form-only field has none
            validators += model._meta.get_field(name).validators
    caps = [v.limit_value for v in validators if type(v) is MaxLengthValidator]
    return min(caps) if caps else None


def _one_newline(to_python: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Browsers send a textarea's line breaks as CR LF; count (and keep) each as one character,
    as the live counter and the printed sheet do."""

    def wrapped(value: Any) -> Any:
        value = to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value

    return wrapped


def show_length_limits(form: forms.BaseForm, caps: dict[str, int] | None = None) -> None:
    """Every text field with a length cap (a model MaxLengthValidator, or `caps`) says
    「N文字まで」 and gets a live counter (static/js/char-counter.js); the form refuses a longer
    text next to the field. No HTML maxlength: it cuts Japanese input mid-conversion and
    silently truncates a paste, where the counter shows how much is over."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        cap = (caps or {}).get(name) or _length_cap(form, name, field)
        if cap is None or "data-max-chars" in field.widget.attrs:  # already shown (a shared field)
            continue
        field.max_length = cap
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(cap))
        field.to_python = _one_newline(field.to_python)  # type: ignore[method-assign,assignment]  # this field only
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-max-chars"] = cap
        field.widget.attrs["data-chars-now"] = _("%(n)s characters now") % {"n": "{n}"}
        field.widget.attrs["data-chars-over"] = _("%(n)s characters too many") % {"n": "{n}"}
        limit = _("Up to %(n)s characters.") % {"n": cap}
        field.help_text = f"{limit} {field.help_text}" if field.help_text else limit


class PrintedTextMixin(forms.BaseForm):
    """A form whose text a sheet prints: its text fields (`printed_fields`, or all of them)
    refuse, next to the field, characters that would print as □ (registry/printable.py)."""

    printed_fields: tuple[str, ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or validate_printable in field.validators:
                continue
            if self.printed_fields is None or name in self.printed_fields:
                field.validators.append(validate_printable)


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields the form has, the rest on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _label_blank_choice(field: forms.Field) -> None:
    """One wording for "nothing chosen yet" in every select (Django's default is untranslated).
    Radio buttons have none: nothing ticked says it, and 「選んでください」 is no answer to tick."""
    radio = isinstance(field.widget, forms.RadioSelect)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = None if radio and field.required else CHOOSE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(cast("Iterable[tuple[Any, Any]]", field.choices))
        if choices and choices[0][0] == "":
            field.choices = choices[1:] if radio and field.required else [("", CHOOSE), *choices[1:]]


def support_kinds_field() -> forms.MultipleChoiceField:
    """An agency's kinds of support as ticks with their names; `Agency.support_kinds` stores the
    codes. The agency's own profile form and the admin site both use it."""
    return forms.MultipleChoiceField(
        label=_("kinds of support"), choices=SupportKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class EmployerForm(PrintedTextMixin, CrispyMixin, forms.ModelForm[Employer]):
    printed_fields = PRINTED_EMPLOYER_FIELDS  # on ①
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
        code = cast(forms.CharField, self.fields["postal_code"])
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
    name = forms.CharField(
        label=_("name"),
        max_length=100,
        help_text=_("Someone who already has an account here keeps the name they registered."),
    )
    name_kana = forms.CharField(
        label=_("name (kana)"), max_length=100, required=False, validators=User._meta.get_field("name_kana").validators
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.COUNSELOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class AgencySwitchForm(forms.Form):
    agency = forms.UUIDField()
