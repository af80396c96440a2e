"""Forms of つなぎ. Consent is opt-in: no item is ticked and the confirmation box is empty
until the counselor ticks what the client agreed to."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin, support_kinds_field
from registry.models import Agency, SupportKind
from sheets.clients.models import Client, SelfIntroduction
from sheets.network.models import ConsentGivenBy, ConsentMethod, HandoffItem, NeedsCheck
from sheets.network.services import consent_date_errors, receiving_agencies

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class NeedsCheckForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = NeedsCheck
        fields = [
            "checked_on",
            "wish_to_work",
            "situation",
            "time_available",
            "care_constraints",
            "health_constraints",
            "past_work",
            "want_to_try",
        ]
        widgets = {
            "checked_on": DATE_WIDGET,
            "wish_to_work": forms.RadioSelect,
            "situation": _rows(3),
            "care_constraints": _rows(2),
            "health_constraints": _rows(2),
            "past_work": _rows(2),
            "want_to_try": _rows(2),
        }

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.client = client
        if not self.instance.pk:
            self.fields["checked_on"].initial = timezone.localdate()
        if not client.has_sensitive_consent:
            del self.fields["health_constraints"]


class HandoffForm(CrispyMixin, forms.Form):
    to_agency = forms.ModelChoiceField(label=_("receiving agency"), queryset=None)
    items = forms.MultipleChoiceField(
        label=_("items the client agrees to share"),
        choices=HandoffItem.choices,
        widget=forms.CheckboxSelectMultiple,
        # What each item carries of the self-introduction's per-dimension table (services.ITEM_FIELDS).
        help_text=_(
            "The table of dimensions is shared in parts: “Strengths and confidence” carries the confidence levels, "
            "“What I want to confirm or grow” the dimensions marked “want to confirm”, and “Requests to the "
            "workplace” those marked “accommodation”."
        ),
        error_messages={"required": _("Choose at least one item the client agrees to share.")},
    )
    introduction = forms.ModelChoiceField(
        label=_("self-introduction form the parts come from"), queryset=None, required=False
    )
    note = forms.CharField(label=_("note to the receiving agency"), widget=_rows(3), max_length=500, required=False)
    consent_given_by = forms.ChoiceField(
        label=_("consent given by"), choices=ConsentGivenBy.choices, widget=forms.RadioSelect
    )
    consent_on = forms.DateField(label=_("consent given on"), widget=DATE_WIDGET)
    consent_method = forms.ChoiceField(
        label=_("how consent was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    consent_until = forms.DateField(label=_("consent valid until"), widget=DATE_WIDGET)
    confirmed = forms.BooleanField(
        label=_(
            "I explained to the client which agency receives what and for how long, and the client agreed to exactly "
            "the items ticked above."
        ),
        error_messages={"required": _("Record the hand-off only after the client has agreed.")},
    )

    def __init__(self, *args, user, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["to_agency"].queryset = receiving_agencies(user)
        self.fields["to_agency"].label_from_instance = lambda a: f"{a.name}（{a.region.name}）"
        introductions = client.introductions.order_by("-created_at")
        self.fields["introduction"].queryset = introductions
        self.fields["introduction"].label_from_instance = SelfIntroduction.revision_label
        latest = introductions.first()
        self.fields["introduction"].initial = latest.pk if latest else None
        self.needs_check = client.needs_checks.order_by("-checked_on", "-created_at").first()
        choices = list(HandoffItem.choices)
        if self.needs_check is None:
            choices = [c for c in choices if c[0] != HandoffItem.NEEDS_CHECK]
        if latest is None:
            choices = [c for c in choices if c[0] == HandoffItem.NEEDS_CHECK]
        if not client.has_sensitive_consent:
            choices = [c for c in choices if c[0] != HandoffItem.HEALTH]
        self.fields["items"].choices = choices
        self.fields["items"].initial = []  # opt-in: nothing is ticked
        today = timezone.localdate()
        self.fields["consent_on"].initial = today
        self.fields["consent_until"].initial = today + timezone.timedelta(days=90)

    def clean(self) -> dict:
        data = super().clean()
        items = set(data.get("items") or [])
        if items - {HandoffItem.NEEDS_CHECK} and not data.get("introduction"):
            self.add_error("introduction", _("Choose the self-introduction form the parts come from."))
        errors = consent_date_errors(
            consent_on=data.get("consent_on"), consent_until=data.get("consent_until"), today=timezone.localdate()
        )
        for name, messages in errors.items():
            self.add_error(name, messages)
        return data


class DeclineForm(CrispyMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for declining"),
        widget=_rows(3),
        max_length=300,
        error_messages={"required": _("Write why the hand-off is declined.")},
    )


class MetForm(CrispyMixin, forms.Form):
    met_on = forms.DateField(label=_("first meeting on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_on"].initial = timezone.localdate()


class DirectorySearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of support"), required=False)
    region = forms.ModelChoiceField(label=_("area"), queryset=None, required=False, to_field_name="uuid")
    q = forms.CharField(label=_("words"), required=False, max_length=100)

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *SupportKind.choices]
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = _("Any")


class AgencyProfileForm(CrispyMixin, forms.ModelForm):
    support_kinds = support_kinds_field()

    class Meta:
        model = Agency
        fields = [
            "support_kinds",
            "support_other",
            "serves",
            "service_area",
            "hours",
            "contact_note",
            "accepts_handoffs",
        ]
        widgets = {"serves": _rows(2)}
