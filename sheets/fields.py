"""Model fields for the sheets: lists of choices and dimension ratings, stored as JSON.

Why JSON and not ten integer columns / one M2M per choice list: the dimension list and the
choice lists are defined once in code (sheets/dimensions.py, TextChoices) and will be refined
by coordinators; JSON keeps them out of the schema, history diffs them as one value, and the
same shapes ({dimension: level}, [choice, …]) are used by self-introductions and matching."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sheets.dimensions import validate_ratings
from sheets.japanese import validate_readings


class ChoiceListField(models.JSONField):
    """A list of distinct values from `item_choices` (a TextChoices/IntegerChoices class),
    kept in the order of the choices. Renders as checkboxes."""

    def __init__(self, *args, item_choices=None, **kwargs) -> None:
        # Not part of deconstruct(): the choices live in code and may grow without a migration.
        self.item_choices = item_choices
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."), code="invalid")
        allowed = set(self.item_choices.values) if self.item_choices else None
        if allowed is not None and any(item not in allowed for item in value):
            raise ValidationError(_("Choose from the list."), code="invalid_choice")
        if len(set(value)) != len(value):
            raise ValidationError(_("Each choice may be chosen once."), code="duplicate")

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if self.item_choices and isinstance(value, list):
            order = {v: i for i, v in enumerate(self.item_choices.values)}
            value = sorted(value, key=lambda item: order.get(item, len(order)))
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        values = self.item_choices.values if self.item_choices else []
        coerce = int if values and isinstance(values[0], int) else str
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.item_choices.choices if self.item_choices else [],
            "coerce": coerce,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("encoder", "decoder", "max_length"):
            defaults.pop(key, None)
        return form_class(**defaults)

    def choice_labels(self, value) -> list[str]:
        labels = dict(self.item_choices.choices) if self.item_choices else {}
        return [str(labels.get(item, item)) for item in value or []]


class RatingsField(models.JSONField):
    """{dimension key: 0..3}; a missing key means "not rated". Edited through
    sheets.forms.RatingsFormMixin (one radio group per dimension), not as raw JSON."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        validate_ratings(value)


class ReadingsField(models.JSONField):
    """{word as written: its reading in hiragana}: the readings a coordinator corrected for
    the furigana of ② (sheets/programs/furigana.py). Edited on its own page, not as raw JSON."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        validate_readings(value)
