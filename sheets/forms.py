"""Forms for breakdowns, task rows, programs and the employer's review.

Ratings are edited as one select per dimension (label = the dimension, options = the 0–3
level descriptions of sheets/dimensions.py), so the same words appear on every screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin
from sheets.dimensions import DIMENSIONS
from sheets.models import (
    EngagementType,
    Program,
    ReviewSection,
    SharingScope,
    TaskBreakdown,
    TaskChange,
    TaskRow,
    TimetableRow,
    VerificationMethod,
)
from sheets.print_limits import TIMETABLE_MAX_ROWS
from sheets.services import PROGRAM_FIELDS, ROW_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class RatingsFormMixin:
    """Adds `demand_<dimension>` selects and collects them into `cleaned_data["demands"]`."""

    ratings_attr = "demands"

    def _add_rating_fields(self) -> None:
        current = getattr(self.instance, self.ratings_attr, None) or {}
        for info in DIMENSIONS:
            choices = [("", _("— not rated —"))] + [(level, f"{level}：{info.level_text(level)}") for level in range(4)]
            self.fields[f"demand_{info.key}"] = forms.TypedChoiceField(
                label=info.label, choices=choices, coerce=int, empty_value=None, required=False
            )
            if info.key in current:
                self.fields[f"demand_{info.key}"].initial = current[info.key]

    @property
    def rating_fields(self) -> list:
        return [self[f"demand_{info.key}"] for info in DIMENSIONS]

    def collect_ratings(self) -> dict:
        return {
            info.key: self.cleaned_data[f"demand_{info.key}"]
            for info in DIMENSIONS
            if self.cleaned_data.get(f"demand_{info.key}") is not None
        }


class BreakdownForm(CrispyMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TaskBreakdown
        fields = ["visited_on", "visitors", "interviewee", "unmet_needs", "culture_notes"]
        widgets = {"visited_on": DATE_WIDGET, "unmet_needs": _rows(3), "culture_notes": _rows(3)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TaskRowForm(RatingsFormMixin, forms.ModelForm):
    """Rendered by hand in templates/sheets/_partials/row_form.html (grouped for tablets)."""

    class Meta:
        model = TaskRow
        fields = [f for f in ROW_FIELDS if f != "demands"]
        widgets = {"steps": _rows(4), "cut_out_conditions": _rows(2)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields()
        for name in ("frequency", "place", "cut_out"):
            # Radios offer no "blank" option: leaving all unticked means "not recorded".
            choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].choices = choices
            self.fields[name].widget = forms.RadioSelect(choices=choices)

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in ROW_FIELDS}
        data["demands"] = self.collect_ratings()
        return data

    def group(self, *names: str) -> list:
        return [self[name] for name in names]


class ProgramCreateForm(CrispyMixin, forms.Form):
    rows = forms.ModelMultipleChoiceField(
        label=_("Tasks the program is made from"),
        queryset=TaskRow.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one task.")},
    )
    title = forms.CharField(label=_("title"), max_length=100)
    engagement_type = forms.ChoiceField(label=_("engagement type"), choices=EngagementType.choices)
    sharing_scope = forms.ChoiceField(
        label=_("sharing scope"),
        choices=SharingScope.choices,
        initial=SharingScope.REGION,
        help_text=_("Who may see it once published. Drafts are seen by your agency only."),
    )

    def __init__(self, *args, employer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rows"].queryset = (
            TaskRow.objects.filter(breakdown__employer=employer)
            .select_related("breakdown")
            .order_by("-breakdown__visited_on", "breakdown_id", "position")
        )
        self.fields["rows"].label_from_instance = lambda row: f"{row.breakdown.visited_on:%Y/%m/%d}　{row}"


class ProgramForm(RatingsFormMixin, forms.ModelForm):
    """Every ②/③ field. Rendered in sections by templates/sheets/program_form.html."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Program
        fields = [f for f in PROGRAM_FIELDS if f != "demands"]
        widgets = {
            "what_you_do": _rows(4),
            "suits": _rows(2),
            "can_find_out": _rows(2),
            "how_to_apply": _rows(2),
            "physical_notes": _rows(3),
            "instructions": _rows(2),
            "accommodations_notes": _rows(2),
            "cautions": _rows(2),
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
        }

    SECTIONS = (
        (
            _("Basics"),
            (
                "title",
                "engagement_type",
                "is_paid",
                "has_contract",
                "has_insurance",
                "supporter_may_accompany",
                "sharing_scope",
            ),
        ),
        (
            _("② For clients"),
            (
                "what_you_do",
                "days",
                "start_time",
                "end_time",
                "breaks",
                "period",
                "meeting_point",
                "clothing",
                "belongings",
                "lunch",
                "pay",
                "travel_costs",
                "capacity",
                "application_window",
                "suits",
                "can_find_out",
                "how_to_apply",
            ),
        ),
        (
            _("③ For supporters"),
            (
                "confirmable",
                "physical_notes",
                "instructions",
                "task_change",
                "onsite_supporter",
                "accommodations",
                "accommodations_notes",
                "cautions",
                "next_step",
            ),
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields()
        self.fields["version"].initial = self.instance.version
        # Radios offer no "blank" option: leaving all unticked means "not recorded".
        self.fields["task_change"].choices = TaskChange.choices
        self.fields["task_change"].widget = forms.RadioSelect(choices=TaskChange.choices)
        self.fields["sharing_scope"].widget = forms.RadioSelect(choices=SharingScope.choices)

    def sections(self) -> list:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in PROGRAM_FIELDS}
        data["demands"] = self.collect_ratings()
        return data


class TimetableRowForm(forms.ModelForm):
    class Meta:
        model = TimetableRow
        fields = ["time", "activity"]
        widgets = {"time": forms.TextInput(attrs={"placeholder": "9:00"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].required = False
        self.fields["activity"].required = False

    def clean(self):
        data = super().clean()
        if data.get("time") and not data.get("activity"):
            self.add_error("activity", _("Write what happens at this time."))
        return data


TimetableFormSet = forms.formset_factory(
    TimetableRowForm,
    extra=3,
    max_num=TIMETABLE_MAX_ROWS,
    validate_max=True,  # the sheets budget (print_limits)
)


def timetable_initial(program: Program) -> list[dict]:
    return [{"time": r.time, "activity": r.activity} for r in program.timetable.all()]


def timetable_rows(formset) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("time", ""), f.cleaned_data.get("activity", ""))
        for f in formset.forms
        if f.cleaned_data and (f.cleaned_data.get("time") or f.cleaned_data.get("activity"))
    ]


class ReverifyForm(forms.Form):
    method = forms.ChoiceField(label=_("how it was verified"), choices=VerificationMethod.choices)


class TransitionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReviewLinkForm(forms.Form):
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=60, initial=14)


class ReviewCommentForm(forms.Form):
    section = forms.ChoiceField(label=_("section"), choices=ReviewSection.choices, widget=forms.HiddenInput)
    author_name = forms.CharField(label=_("your name"), max_length=100, required=False)
    body = forms.CharField(label=_("comment"), max_length=2000, widget=_rows(3))


class ReviewApproveForm(forms.Form):
    approver_name = forms.CharField(
        label=_("your name"), max_length=100, help_text=_("Type your name to approve the content as shown.")
    )
    confirm = forms.BooleanField(label=_("I have checked the content and approve it."))
