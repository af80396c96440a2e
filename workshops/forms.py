from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import CHOOSE, CrispyMixin
from registry.models import Agency
from workshops.models import (
    COLUMN_CATEGORIES,
    OUTCOME_COLUMNS,
    CardHeading,
    Column,
    FigureKind,
    LogicModel,
    LogicModelItem,
    Mechanism,
    OpinionCard,
    RegionStep,
    SurveyAnswer,
    Theme,
    WorkshopSeries,
    WorkshopSession,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SeriesForm(CrispyMixin, forms.ModelForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("participating agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkshopSeries
        fields = ["title", "participants", "facilitator_notes"]
        widgets = {"facilitator_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organiser: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Participants come from the organiser's region; the organiser takes part anyway.
        self.fields["participants"].queryset = Agency.objects.filter(
            region_id=organiser.region_id, is_active=True
        ).exclude(pk=organiser.pk)
        self.fields["title"].widget.attrs["placeholder"] = "しごと・就労支援を切り口にした地域づくりワークショップ"


class SessionForm(CrispyMixin, forms.ModelForm):
    # Not required here: the session itself says 「テーマを1つ以上選んでください。」 (WorkshopSession.clean),
    # which the form's own 「この項目は必須です。」 only repeated.
    themes = forms.MultipleChoiceField(
        label=_("themes"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = WorkshopSession
        fields = ["number", "held_on", "place", "duration_minutes", "themes", "is_open", "survey_open"]
        widgets = {"held_on": DATE_WIDGET}


class CardForm(CrispyMixin, forms.Form):
    """Fast capture: the text comes first and keeps the focus; theme, table and agency stay
    as they were for the next card."""

    text = forms.CharField(label=_("opinion"), max_length=300)
    theme = forms.ChoiceField(label=_("theme"))
    table = forms.CharField(label=_("group table"), max_length=20, required=False)
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, session: WorkshopSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(t, Theme(t).label) for t in session.themes]
        series = session.series
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=[series.organiser_id, *series.participants.values_list("pk", flat=True)]
        )
        self.fields["text"].widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            # The next card is typed at once; a form sent back with errors leaves the focus to
            # the first field marked invalid (js/form-errors.js), which may be the table.
            self.fields["text"].widget.attrs["autofocus"] = True
        self.fields["table"].widget.attrs.update({"autocomplete": "off", "placeholder": "A"})


class MergeForm(forms.Form):
    cards = forms.ModelMultipleChoiceField(label=_("cards to merge"), queryset=None)
    text = forms.CharField(label=_("text of the merged card"), max_length=300, required=False)

    def __init__(self, *args, session: WorkshopSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cards"].queryset = session.cards.live()
        self.fields["cards"].to_field_name = "uuid"
        self.fields["cards"].error_messages["required"] = _("Choose at least two cards to merge.")


class VoteForm(forms.Form):
    delta = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1")], coerce=int)


class HeadingForm(CrispyMixin, forms.Form):
    theme = forms.ChoiceField(label=_("theme"))
    title = forms.CharField(label=_("heading"), max_length=100)

    def __init__(self, *args, session: WorkshopSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(t, Theme(t).label) for t in session.themes]


class HeadingRenameForm(CrispyMixin, forms.ModelForm):
    """Only the title: the heading's theme is where its cards are."""

    class Meta:
        model = CardHeading
        fields = ["title"]

    def _post_clean(self) -> None:
        pass  # the service checks the title (one per theme)


class GroupForm(forms.Form):
    heading = forms.ModelChoiceField(label=_("heading"), queryset=None, required=False, to_field_name="uuid")

    def __init__(self, *args, session: WorkshopSession, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].queryset = session.headings.all()


class SessionOpenForm(forms.Form):
    is_open = forms.BooleanField(required=False)


# --- Logic model ----------------------------------------------------------------------------------


INDICATOR_HELP = _(
    "Only for outcomes: the region figure that measures it. The logic model then shows its value in the "
    "last finished quarter and its trend (region evaluation page)."
)


class LogicModelTitleForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = LogicModel
        fields = ["title"]

    def _post_clean(self) -> None:
        pass  # validated by the service


class ItemForm(CrispyMixin, forms.ModelForm):
    source_card = forms.ModelChoiceField(
        label=_("from card"), queryset=None, required=False, to_field_name="uuid", help_text=_("Optional.")
    )

    class Meta:
        model = LogicModelItem
        fields = ["column", "category", "text", "source_card", "figure", "indicator"]

    def __init__(self, *args, logic_model: LogicModel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_card"].queryset = (
            OpinionCard.objects.live()
            .filter(session__series=logic_model.series)
            .order_by("-votes", "session__number", "created_at")
        )
        self.fields["source_card"].label_from_instance = lambda c: f"{c.text}（{c.votes}）"
        self.fields["text"].required = False
        self.fields["text"].help_text = _("Leave empty to use the card's text.")
        self.fields["category"].help_text = _("Only for outcome columns.")
        self.fields["figure"].help_text = _("Only for initiatives: counted live from the registry.")
        self.fields["indicator"].help_text = INDICATOR_HELP
        self.instance.logic_model = logic_model

    def clean(self):
        data = super().clean()
        # A text that is too long, or a card that is not offered, has its own message already.
        answered = not self.has_error("text") and not self.has_error("source_card")
        if answered and not data.get("text") and not data.get("source_card"):
            self.add_error("text", _("Enter the text or choose a card."))
        return data

    def _post_clean(self) -> None:
        # The service fills the text from the card and validates the whole item.
        pass


class ItemEditForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = LogicModelItem
        fields = ["text", "category", "figure", "indicator", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = COLUMN_CATEGORIES.get(self.instance.column)
        if allowed:
            self.fields["category"].choices = [(c.value, c.label) for c in allowed]
        else:
            del self.fields["category"]
        if self.instance.column != Column.INITIATIVES:
            del self.fields["figure"]
        else:
            self.fields["figure"].choices = [("", "---------"), *FigureKind.choices]
        if self.instance.column not in OUTCOME_COLUMNS:
            del self.fields["indicator"]
        else:
            self.fields["indicator"].help_text = INDICATOR_HELP

    def _post_clean(self) -> None:
        pass  # validated by the service


class LinkForm(CrispyMixin, forms.Form):
    source = forms.ModelChoiceField(label=_("from item"), queryset=None, to_field_name="uuid")
    target = forms.ModelChoiceField(label=_("to item"), queryset=None, to_field_name="uuid")

    def __init__(self, *args, logic_model: LogicModel, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].queryset = logic_model.items.all()

    def name_items(self, codes: dict[int, str]) -> None:
        """Offer the items as the model shows them: by their codes (N1, I1, S1 …), column by column
        from the left — `codes` is in that order — also when the form comes back with an error."""
        place = {pk: index for index, pk in enumerate(codes)}
        for name in ("source", "target"):
            items = sorted(self.fields[name].queryset, key=lambda item: place.get(item.pk, len(place)))
            labels = [(item.uuid, f"{codes.get(item.pk, '')} {item.text}".strip()) for item in items]
            self.fields[name].choices = [("", CHOOSE), *labels]


# --- Survey ------------------------------------------------------------------------------------------


class SurveyForm(forms.ModelForm):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = SurveyAnswer
        fields = ["new_connections", "connections", "insights", "next_steps"]
        widgets = {
            "new_connections": forms.NumberInput(attrs={"min": 0, "max": 99, "inputmode": "numeric"}),
            "connections": forms.Textarea(attrs={"rows": 3}),
            "insights": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in ("connections", "insights", "next_steps")):
            raise forms.ValidationError(_("Answer at least one question."))
        return data

    def _post_clean(self) -> None:
        pass  # the service validates (the submission id decides whether it is new)


# --- Region progress ------------------------------------------------------------------------------------


class StepForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = RegionStep
        fields = ["status", "started_on", "completed_on", "notes"]
        widgets = {"started_on": DATE_WIDGET, "completed_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self) -> None:
        pass


class MechanismForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Mechanism
        fields = ["kind", "custom_name", "agency", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(region=region, is_active=True)
        self.fields["custom_name"].help_text = _("Only for other mechanisms.")
        self.fields["position"].required = False

    def _post_clean(self) -> None:
        pass
