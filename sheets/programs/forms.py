"""Forms for programs, their timetable, re-verification and the employer's review.

Ratings are edited as one select per dimension (label = the dimension, options = the 0–3
level descriptions of sheets/dimensions.py), so the same words appear on every screen."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import PrintedTextMixin, show_length_limits
from sheets.dimensions import DIMENSIONS
from sheets.programs.limits import TIMETABLE_MAX_ROWS
from sheets.programs.models import Program, ReviewSection, SharingScope, TimetableRow, VerificationMethod
from sheets.programs.services import PROGRAM_FIELDS, SHEET_OPTION_FIELDS
from sheets.vocabulary import TaskChange

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# A timetable line's time as ② prints it: 9:30, 10:30〜11:45 or 12:00ごろ (after NFKC: ～ is ~).
CLOCK_TIME = re.compile(r"(?P<start>\d{1,2}:\d{2})(?:\s*[~〜\-–]\s*(?P<end>\d{1,2}:\d{2}))?\s*(?P<about>ごろ|頃)?")


def clock_minutes(clock: str) -> int | None:
    """9:30 → 570; None for 25:99."""
    hour, minute = (int(part) for part in clock.split(":"))
    return hour * 60 + minute if hour <= 23 and minute <= 59 else None


def rows_widget(n: int) -> forms.Textarea:
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


class ProgramForm(PrintedTextMixin, RatingsFormMixin, forms.ModelForm):
    """Every ②/③ field. Rendered in sections by templates/sheets/program_form.html."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Program
        # The corrected readings have their own page (sheets.printing.views.furigana_edit).
        fields = [f for f in PROGRAM_FIELDS if f != "demands"] + ["furigana"]
        widgets = {
            "what_you_do": rows_widget(4),
            "suits": rows_widget(2),
            "can_find_out": rows_widget(2),
            "how_to_apply": rows_widget(2),
            "employer_needs": rows_widget(2),
            "physical_notes": rows_widget(3),
            "instructions": rows_widget(2),
            "accommodations_notes": rows_widget(2),
            "cautions": rows_widget(2),
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
                "furigana",
            ),
        ),
        (
            _("③ For supporters"),
            (
                "employer_needs",
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

    # The page shows the day's timetable at the end of ②'s section (templates/sheets/program_form.html).
    timetable_after = SECTIONS[1][1][-1]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields()
        self.fields["version"].initial = self.instance.version
        # Radios offer no "blank" option: leaving all unticked means "not recorded".
        self.fields["task_change"].choices = TaskChange.choices
        self.fields["task_change"].widget = forms.RadioSelect(choices=TaskChange.choices)
        self.fields["sharing_scope"].widget = forms.RadioSelect(choices=SharingScope.choices)
        show_length_limits(self)  # the print caps (sheets/programs/limits.py), with a live counter

    def sections(self) -> list:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in PROGRAM_FIELDS + SHEET_OPTION_FIELDS}
        data["demands"] = self.collect_ratings()
        return data


class TimetableRowForm(PrintedTextMixin, forms.ModelForm):
    class Meta:
        model = TimetableRow
        fields = ["time", "activity"]
        widgets = {"time": forms.TextInput(attrs={"placeholder": "9:00"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].required = False
        self.fields["activity"].required = False
        show_length_limits(self)

    def clean_time(self) -> str:
        """Written with full-width figures (９：３０) or a leading zero (09:30), a time is saved as
        ② prints it (9:30); what is not a time of day is said next to the field."""
        written = self.cleaned_data.get("time", "")
        if not written:
            return ""
        match = CLOCK_TIME.fullmatch(unicodedata.normalize("NFKC", written).strip())
        times = [match[part] for part in ("start", "end") if match[part]] if match else []
        minutes = [clock_minutes(time) for time in times]
        if not match or None in minutes:
            raise forms.ValidationError(_("Write the time as hours and minutes, e.g. 9:30 or 10:30〜11:45."))
        if len(minutes) == 2 and minutes[1] <= minutes[0]:
            raise forms.ValidationError(_("The end of this time must be later than its start."))
        said = "〜".join(f"{minute // 60}:{minute % 60:02d}" for minute in minutes)  # 09:30 → 9:30
        return said + (match["about"] or "")

    def clean(self):
        data = super().clean()
        if data.get("time") and not data.get("activity"):
            self.add_error("activity", _("Write what happens at this time."))
        return data


class BaseTimetableFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        """The day's lines in the order they happen: a time earlier than the line above is a slip."""
        super().clean()
        previous = None
        for form in self.forms:
            time = (getattr(form, "cleaned_data", None) or {}).get("time")
            if not time:
                continue
            minutes = clock_minutes(CLOCK_TIME.match(time)["start"])  # as clean_time() wrote it
            if previous is not None and minutes is not None and minutes < previous:
                form.add_error("time", _("This time is earlier than the line above: put the lines in the day's order."))
            previous = minutes


TimetableFormSet = forms.formset_factory(
    TimetableRowForm,
    formset=BaseTimetableFormSet,
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
    body = forms.CharField(label=_("comment"), max_length=2000, widget=rows_widget(3))


class ReviewApproveForm(forms.Form):
    approver_name = forms.CharField(
        label=_("your name"), max_length=100, help_text=_("Type your name to approve the content as shown.")
    )
    confirm = forms.BooleanField(label=_("I have checked the content and approve it."))
