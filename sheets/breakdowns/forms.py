"""Forms of the task breakdown sheet, its task rows, and the program made from chosen rows."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry.forms import CrispyMixin, PrintedTextMixin, show_length_limits
from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.breakdowns.services import ROW_FIELDS
from sheets.programs.forms import DATE_WIDGET, RatingsFormMixin, rows_widget
from sheets.programs.limits import PRINT_LIMITS
from sheets.programs.models import SharingScope
from sheets.vocabulary import EngagementType


class BreakdownForm(PrintedTextMixin, CrispyMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TaskBreakdown
        fields = ["visited_on", "visitors", "interviewee", "unmet_needs", "culture_notes"]
        widgets = {"visited_on": DATE_WIDGET, "unmet_needs": rows_widget(3), "culture_notes": rows_widget(3)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TaskRowForm(PrintedTextMixin, RatingsFormMixin, forms.ModelForm):
    """Rendered by hand in templates/sheets/_partials/row_form.html (grouped for tablets)."""

    class Meta:
        model = TaskRow
        fields = [f for f in ROW_FIELDS if f != "demands"]
        widgets = {"steps": rows_widget(4), "cut_out_conditions": rows_widget(2)}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._add_rating_fields()
        # 「N文字まで」 and the live counter instead of the browser's maxlength, which cut typing short silently.
        show_length_limits(self)
        for name in ("frequency", "place", "cut_out"):
            # Radios offer no "blank" option: leaving all unticked means "not recorded".
            choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].choices = choices
            self.fields[name].widget = forms.RadioSelect(choices=choices)

    def clean(self) -> dict:
        data = super().clean()
        if self.has_error("cut_out_conditions") and (typed := self["cut_out_conditions"].value()):
            # Refused (too long, or □ on paper), the text is not put on the row, yet the row's
            # rules (TaskRow.clean) are about what was typed: said with its length, not after it.
            self.instance.cut_out_conditions = typed
        return data

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in ROW_FIELDS}
        data["demands"] = self.collect_ratings()
        return data

    def group(self, *names: str) -> list:
        return [self[name] for name in names]


class ProgramCreateForm(PrintedTextMixin, CrispyMixin, forms.Form):
    rows = forms.ModelMultipleChoiceField(
        label=_("Tasks the program is made from"),
        queryset=TaskRow.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one task.")},
    )
    title = forms.CharField(label=_("title"), max_length=PRINT_LIMITS["title"])
    engagement_type = forms.ChoiceField(label=_("engagement type"), choices=EngagementType.choices)
    sharing_scope = forms.ChoiceField(
        label=_("sharing scope"),
        choices=SharingScope.choices,
        initial=SharingScope.REGION,
        help_text=_("Who may see it once published. Drafts are seen by your agency only."),
    )

    def __init__(self, *args, employer, breakdown: str = "", **kwargs) -> None:
        """`breakdown`: the uuid of the sheet the form was opened from, whose tasks start ticked."""
        super().__init__(*args, **kwargs)
        rows = self.fields["rows"]
        rows.queryset = (
            TaskRow.objects.filter(breakdown__employer=employer)
            .select_related("breakdown")
            .order_by("-breakdown__visited_on", "breakdown_id", "position")
        )
        rows.label_from_instance = lambda row: f"{date_format(row.breakdown.visited_on)}　{row}"
        if breakdown and not self.is_bound:
            self.initial["rows"] = [row.pk for row in rows.queryset if str(row.breakdown.uuid) == breakdown]
