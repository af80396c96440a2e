"""Forms for clients, self-introductions, consents and referrals. Choice fields are narrowed
to what the acting user may use (regions of their prefecture, employers and programs they see,
the health section only when the client's consent to hold it is recorded)."""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin, PrintedTextMixin
from registry.models import Employer, Region
from sheets.clients.models import (
    SENSITIVE_CONSENT_EARLIEST,
    Client,
    ErasureReason,
    IntroSection,
    Outcome,
    SelfIntroduction,
    SharingConsent,
    TriedFirst,
    is_name_not_shared,
)
from sheets.clients.services import INTRODUCTION_FIELDS
from sheets.dimensions import DIMENSIONS
from sheets.programs.models import Program

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Selects rendered by hand in tables (not through crispy) still need Bootstrap's look.
SMALL_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})
# The words "confidence today" once above the dimension table (_partials/dimension_table.html).
DIMENSION_PURPOSE_ID = "dimension-confidence-purpose"
UNKNOWN = _("Don't know")
CONFIDENCE_LEVELS = (
    _("0: not confident"),
    _("1: a little"),
    _("2: fairly confident"),
    _("3: confident"),
)


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class ClientForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["preferred_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and is_name_not_shared(self.instance.preferred_name):
            # Received without a name: the field starts empty, saying so, until the person tells it.
            self.initial["preferred_name"] = ""
            self.fields["preferred_name"].widget.attrs["placeholder"] = self.instance.preferred_name


class SensitiveConsentForm(CrispyMixin, forms.Form):
    given_on = forms.DateField(
        label=_("consent given on"),
        widget=DATE_WIDGET,
        help_text=_("The day the client agreed, in writing, that the agency keeps notes about their health."),
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        today = timezone.localdate()
        self.fields["given_on"].initial = today
        _date_bounds(self.fields["given_on"], earliest=SENSITIVE_CONSENT_EARLIEST, latest=today)

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        error = self.client.sensitive_consent_date_error(given_on)
        if error:
            raise forms.ValidationError(error)
        return given_on


class ErasureForm(CrispyMixin, forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=ErasureReason.choices, widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class IntroductionForm(PrintedTextMixin, CrispyMixin, forms.ModelForm):
    """Per dimension: today's confidence (0–3 or "don't know"), want to confirm, accommodation —
    rendered as one table row per dimension (templates/sheets/clients/_partials/dimension_table.html)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("areas I can reach"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SelfIntroduction
        fields = [f for f in INTRODUCTION_FIELDS if f not in ("confidence", "want_to_confirm", "wants_accommodation")]
        widgets = {
            "interests": _rows(2),
            "strengths": _rows(2),
            "experience": _rows(2),
            "goals": _rows(2),
            "worries": _rows(2),
            "coping": _rows(2),
            "requests": _rows(2),
            "health_notes": _rows(2),
            "available_from": TIME_WIDGET,
            "available_until": TIME_WIDGET,
        }

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["regions"].queryset = Region.objects.filter(prefecture_id=client.agency.region.prefecture_id)
        # Matching knows where the client can go from this list alone (not from the agency's town).
        self.fields["regions"].help_text = _(
            "Include the municipality where they live. Matching puts programs in these areas first; "
            "with none chosen it says nothing about place."
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["regions"].initial = list(self.instance.regions.all())
        if not client.has_sensitive_consent:
            self.fields["health_notes"].help_text = _(
                "Kept only with the client's recorded consent to hold sensitive personal data (要配慮個人情報)."
            )
        self.fields["age_band"].widget = forms.RadioSelect(choices=self.fields["age_band"].choices[1:])
        confidence = self.instance.confidence or {}
        for info in DIMENSIONS:
            choices = [("", UNKNOWN)] + [(level, CONFIDENCE_LEVELS[level]) for level in range(4)]
            self.fields[f"conf_{info.key}"] = forms.TypedChoiceField(
                label=info.label, choices=choices, coerce=int, empty_value=None, required=False, widget=SMALL_SELECT
            )
            self.fields[f"conf_{info.key}"].initial = confidence.get(info.key, "")
            self.fields[f"confirm_{info.key}"] = forms.BooleanField(
                label=_("want to confirm"), required=False, initial=info.key in self.instance.want_to_confirm
            )
            self.fields[f"accom_{info.key}"] = forms.BooleanField(
                label=_("would like an accommodation"),
                required=False,
                initial=info.key in self.instance.wants_accommodation,
            )

    def dimension_rows(self) -> list[dict]:
        rows = []
        for info in DIMENSIONS:
            confidence = self[f"conf_{info.key}"]
            rows.append(
                {
                    "info": info,
                    "confidence": confidence,
                    "confidence_widget": self._confidence_widget(confidence),
                    "confirm": self[f"confirm_{info.key}"],
                    "accommodation": self[f"accom_{info.key}"],
                }
            )
        return rows

    @staticmethod
    def _confidence_widget(bound) -> str:
        """The select is labelled by the skill; what it asks (いまの自信), the question to the
        client under the skill and its error, if any, are read with it."""
        described = [DIMENSION_PURPOSE_ID, f"{bound.auto_id}-question"]
        attrs = {}
        if bound.errors:
            described.append(f"{bound.auto_id}-error")
            attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = " ".join(described)
        return bound.as_widget(attrs=attrs)

    def clean(self) -> dict:
        data = super().clean()
        # Set before the model's clean runs (ModelForm._post_clean), so it sees the whole form.
        self.instance.client = self.client
        self.instance.confidence = {
            info.key: data[f"conf_{info.key}"] for info in DIMENSIONS if data.get(f"conf_{info.key}") is not None
        }
        self.instance.want_to_confirm = [info.key for info in DIMENSIONS if data.get(f"confirm_{info.key}")]
        self.instance.wants_accommodation = [info.key for info in DIMENSIONS if data.get(f"accom_{info.key}")]
        return data

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data.get(name) for name in self._meta.fields}
        fields |= {
            "confidence": self.instance.confidence,
            "want_to_confirm": self.instance.want_to_confirm,
            "wants_accommodation": self.instance.wants_accommodation,
            "regions": list(self.cleaned_data.get("regions") or []),
        }
        return fields

    # Field groups, in the order of the printed form.
    GROUPS = (
        (_("About me"), ("preferred_name", "age_band", "counselor_name")),
        (_("Interests and things I like"), ("interests", "interest_tags")),
        (_("Strengths"), ("strengths",)),
        (_("Experience and what I want to confirm"), ("experience", "goals")),
        (_("Worries and my ways of coping"), ("worries", "coping")),
        (_("Requests to the workplace"), ("accommodations", "requests")),
        (
            _("When and how I can come"),
            ("days", "available_from", "available_until", "commute", "commute_notes", "regions", "engagement_types"),
        ),
        (_("Health notes"), ("health_notes",)),
    )

    def groups(self) -> list[dict]:
        return [{"title": title, "fields": [self[name] for name in names]} for title, names in self.GROUPS]


class ConsentForm(CrispyMixin, forms.Form):
    employer = forms.ModelChoiceField(label=_("employer"), queryset=Employer.objects.none())
    program = forms.ModelChoiceField(label=_("program"), queryset=Program.objects.none(), required=False)
    sections = forms.MultipleChoiceField(
        label=_("sections the client agrees to share"),
        choices=IntroSection.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one section the client agrees to share.")},
    )
    valid_from = forms.DateField(label=_("from"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("until"), widget=DATE_WIDGET)

    def __init__(self, *args, user, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        programs = Program.objects.published_for(user)
        # The employers the counselor may see, and those of every program they may propose (one
        # shared by an agency of another city is proposed like any other).
        self.fields["employer"].queryset = Employer.objects.filter(
            models.Q(pk__in=Employer.objects.for_user(user).filter(is_active=True).values("pk"))
            | models.Q(pk__in=programs.values("employer_id"))
        ).order_by("name_kana", "pk")
        self.fields["program"].queryset = programs.select_related("employer").order_by("employer__name_kana")
        self.fields["program"].label_from_instance = lambda p: f"{p.employer.name}：{p.title}"
        if not client.has_sensitive_consent:
            self.fields["sections"].choices = [c for c in IntroSection.choices if c[0] != IntroSection.HEALTH]
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + timezone.timedelta(days=90)
        # Opt-in: nothing is ticked until the client agrees to it, item by item (APPI).
        self.fields["sections"].initial = []

    def clean(self) -> dict:
        data = super().clean()
        program, employer = data.get("program"), data.get("employer")
        if program and employer and program.employer_id != employer.pk:
            self.add_error("program", _("The program belongs to another employer."))
        for name, error in SharingConsent.period_errors(data.get("valid_from"), data.get("valid_until")).items():
            self.add_error(name, error)
        return data


def _date_bounds(field: forms.Field, *, earliest=None, latest=None) -> None:
    """The calendar offers only dates the form accepts (the model or service checks them again). Each
    form has its own copy of the field and widget, so this changes no other form."""
    if earliest:
        field.widget.attrs["min"] = earliest.isoformat()
    if latest:
        field.widget.attrs["max"] = latest.isoformat()


class ScheduleForm(CrispyMixin, forms.Form):
    starts_on = forms.DateField(label=_("first day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("last day"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, referral=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if referral is not None:
            _date_bounds(self.fields["starts_on"], earliest=referral.proposed_on)
            _date_bounds(self.fields["ends_on"], earliest=referral.starts_on or referral.proposed_on)


class CompleteForm(CrispyMixin, forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DATE_WIDGET)

    def __init__(self, *args, referral=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if referral is not None:
            today = timezone.localdate()
            _date_bounds(self.fields["done_on"], earliest=referral.starts_on or referral.proposed_on, latest=today)
            self.fields["done_on"].initial = min(referral.ends_on or today, today)


class CancelForm(CrispyMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        widget=_rows(2),
        max_length=300,
        error_messages={"required": _("Write why it was cancelled.")},
    )


class FeedbackForm(CrispyMixin, forms.Form):
    """The ジョブ・カード pattern: the client's own rating beside the employer's, per dimension."""

    reflection = forms.CharField(label=_("client's reflection"), widget=_rows(3), max_length=500, required=False)
    employer_feedback = forms.CharField(label=_("employer's feedback"), widget=_rows(3), max_length=500, required=False)
    next_try = forms.CharField(label=_("what to try next"), widget=_rows(2), max_length=300, required=False)

    def __init__(self, *args, referral, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for side, current in (("self", referral.self_ratings), ("employer", referral.employer_ratings)):
            for info in DIMENSIONS:
                # 「未評価」 without the dashes: two selects side by side fit a phone's width whole.
                choices = [("", _("not rated"))] + [(level, str(level)) for level in range(4)]
                field = forms.TypedChoiceField(
                    label=info.label, choices=choices, coerce=int, empty_value=None, required=False, widget=SMALL_SELECT
                )
                field.initial = (current or {}).get(info.key, "")
                self.fields[f"{side}_{info.key}"] = field
        self.fields["reflection"].initial = referral.reflection
        self.fields["employer_feedback"].initial = referral.employer_feedback
        self.fields["next_try"].initial = referral.next_try

    def dimension_rows(self) -> list[dict]:
        return [
            {"info": info, "self": self[f"self_{info.key}"], "employer": self[f"employer_{info.key}"]}
            for info in DIMENSIONS
        ]

    def service_fields(self) -> dict:
        data = self.cleaned_data

        def ratings(side: str) -> dict:
            return {i.key: data[f"{side}_{i.key}"] for i in DIMENSIONS if data.get(f"{side}_{i.key}") is not None}

        return {
            "self_ratings": ratings("self"),
            "employer_ratings": ratings("employer"),
            "reflection": data["reflection"],
            "employer_feedback": data["employer_feedback"],
            "next_try": data["next_try"],
        }


FOLLOW_UP_CHOICES = [("", _("Not checked yet")), ("yes", _("Still working")), ("no", _("No longer working"))]


def _to_bool(value: str):
    return {"yes": True, "no": False}.get(value)


class OutcomeForm(CrispyMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("what followed"), choices=Outcome.choices, widget=forms.RadioSelect)
    next_program = forms.ModelChoiceField(label=_("next program"), queryset=Program.objects.none(), required=False)
    hired_on = forms.DateField(label=_("hired on"), widget=DATE_WIDGET, required=False)
    working_1m = forms.TypedChoiceField(
        label=_("still working after 1 month"), choices=FOLLOW_UP_CHOICES, coerce=_to_bool, required=False
    )
    working_3m = forms.TypedChoiceField(
        label=_("still working after 3 months"), choices=FOLLOW_UP_CHOICES, coerce=_to_bool, required=False
    )
    working_6m = forms.TypedChoiceField(
        label=_("still working after 6 months"), choices=FOLLOW_UP_CHOICES, coerce=_to_bool, required=False
    )

    tried_first = forms.ChoiceField(
        label=_("tried the work first"),
        choices=[("", _("Not recorded (a hire from a work experience counts as after one)")), *TriedFirst.choices],
        required=False,
        help_text=_("Used for the region's question whether trying the work first helps people stay."),
    )

    def __init__(self, *args, referral, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tried_first"].initial = referral.tried_first
        self.fields["next_program"].queryset = (
            Program.objects.published_for(user).select_related("employer").order_by("employer__name_kana")
        )
        self.fields["next_program"].label_from_instance = lambda p: f"{p.employer.name}：{p.title}"
        self.fields["outcome"].initial = referral.outcome
        self.fields["next_program"].initial = referral.next_program_id
        self.fields["hired_on"].initial = referral.hired_on
        _date_bounds(self.fields["hired_on"], earliest=referral.starts_on or referral.proposed_on)
        for name in ("working_1m", "working_3m", "working_6m"):
            self.fields[name].choices = FOLLOW_UP_CHOICES  # "not checked yet", not the generic "choose…"
            value = getattr(referral, name)
            self.fields[name].initial = "" if value is None else ("yes" if value else "no")
            self.fields[name].empty_value = None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == Outcome.HIRED and not data.get("hired_on"):
            self.add_error("hired_on", _("Enter the date they were hired."))
        if data.get("outcome") == Outcome.ANOTHER_PROGRAM and not data.get("next_program"):
            self.add_error("next_program", _("Choose the program that followed."))
        if data.get("outcome") != Outcome.HIRED:
            data["hired_on"] = None
            data["tried_first"] = ""
            for name in ("working_1m", "working_3m", "working_6m"):
                data[name] = None
        return data
