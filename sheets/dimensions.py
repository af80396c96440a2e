"""The ten matching dimensions: the ONE definition used by task rows, programs (③),
self-introductions and matching. Ratings are 0–3 on every side.

`Dimension` is a TextChoices (keys and labels for model/form choices); `DIMENSIONS` adds the
task-side level descriptions and the client-side question, in the same order."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEVELS = (0, 1, 2, 3)


class Dimension(models.TextChoices):
    COMPREHENSION = "comprehension", _("Comprehension (understanding instructions)")
    ACCURACY = "accuracy", _("Accuracy and care")
    PACE = "pace", _("Work pace")
    STAMINA = "stamina", _("Physical strength and stamina")
    DEXTERITY = "dexterity", _("Manual dexterity")
    PEOPLE = "people", _("Dealing with people")
    TEAMWORK = "teamwork", _("Teamwork and reporting")
    CHANGE = "change", _("Coping with change")
    ENVIRONMENT = "environment", _("Adapting to the environment")
    AUTONOMY = "autonomy", _("Own judgement and focus")


@dataclass(frozen=True)
class DimensionInfo:
    key: str
    label: Promise
    levels: tuple[Promise, Promise, Promise, Promise]  # what the task demands at 0, 1, 2, 3
    client_question: Promise  # what the client side (自己紹介書) asks about
    # What the coordinator asks the employer to rate the task (the guide's interview questions).
    employer_question: Promise

    def level_text(self, level: int) -> Promise:
        return self.levels[level]


DIMENSIONS: tuple[DimensionInfo, ...] = (
    DimensionInfo(
        Dimension.COMPREHENSION,
        Dimension.COMPREHENSION.label,
        (
            _("One repetitive step, shown by demonstration"),
            _("A few steps, shown and then repeated"),
            _("Several steps explained in words"),
            _("Multi-step spoken or written instructions"),
        ),
        _("Do you learn better by watching or by listening?"),
        _(
            "How do you teach this task to someone new: by showing it or by explaining it in words? "
            "How many steps does it have?"
        ),
    ),
    DimensionInfo(
        Dimension.ACCURACY,
        Dimension.ACCURACY.label,
        (
            _("Rough work is fine"),
            _("Some care needed; mistakes are easy to fix"),
            _("Careful work; mistakes are checked"),
            _("Zero defects; mistakes are costly"),
        ),
        _("How careful are you with details?"),
        _("What happens when a mistake is made? Who checks the work, and how costly is a mistake?"),
    ),
    DimensionInfo(
        Dimension.PACE,
        Dimension.PACE.label,
        (
            _("At your own pace"),
            _("A loose target for the day"),
            _("A set pace with deadlines"),
            _("Time pressure or machine-paced"),
        ),
        _("How do you cope with being hurried?"),
        _("Is there a daily target or a deadline? Does a machine or a colleague set the speed?"),
    ),
    DimensionInfo(
        Dimension.STAMINA,
        Dimension.STAMINA.label,
        (
            _("Seated and short"),
            _("Some standing or walking, light items"),
            _("Standing or walking most of the time, items up to 10 kg"),
            _("Standing or walking all day, lifting over 10 kg"),
        ),
        _("Can you stand for a long time or carry things?"),
        _("Is the task done sitting or standing, and for how long? What is the heaviest thing carried?"),
    ),
    DimensionInfo(
        Dimension.DEXTERITY,
        Dimension.DEXTERITY.label,
        (
            _("Gross handling"),
            _("Simple handwork"),
            _("Careful handwork with small parts"),
            _("Fine finger work"),
        ),
        _("How do you find fine handwork?"),
        _("How small are the parts and tools? Which movements need careful fingers?"),
    ),
    DimensionInfo(
        Dimension.PEOPLE,
        Dimension.PEOPLE.label,
        (
            _("Works alone"),
            _("Greetings with colleagues"),
            _("Regular talk with colleagues or visitors"),
            _("Frequent customer contact"),
        ),
        _("How do you feel about talking with strangers?"),
        _("Who does the person talk to during the task: colleagues, visitors or customers?"),
    ),
    DimensionInfo(
        Dimension.TEAMWORK,
        Dimension.TEAMWORK.label,
        (
            _("Independent work"),
            _("Report at the start and the end"),
            _("Work alongside others, report when asked"),
            _("Tightly coordinated team, constant reporting"),
        ),
        _("How do you find working with others and reporting?"),
        _("Is the task done alone or with others? When, and to whom, does the person report?"),
    ),
    DimensionInfo(
        Dimension.CHANGE,
        Dimension.CHANGE.label,
        (
            _("The same routine all day"),
            _("Two or three tasks, announced in advance"),
            _("Tasks change during the day"),
            _("Frequent switches and prioritising"),
        ),
        _("How do you cope with changes of plan?"),
        _("Does the task stay the same all day? When and how are changes announced?"),
    ),
    DimensionInfo(
        Dimension.ENVIRONMENT,
        Dimension.ENVIRONMENT.label,
        (
            _("Quiet, air-conditioned indoors"),
            _("Indoors with some noise or temperature change"),
            _("Noisy, hot or cold, or some smell or dust"),
            _("Outdoors, noisy, smelly or dusty"),
        ),
        _("Are you sensitive to noise, smells, heat or cold?"),
        _("Where is the task done? Is it noisy, hot, cold, smelly or dusty there?"),
    ),
    DimensionInfo(
        Dimension.AUTONOMY,
        Dimension.AUTONOMY.label,
        (
            _("Someone is always nearby to prompt"),
            _("Checks at fixed times"),
            _("Works alone for stretches, asks when unsure"),
            _("Works alone and sets own priorities"),
        ),
        _("Can you work alone and keep your focus?"),
        _("Is there someone nearby to ask? How often does someone check on the person?"),
    ),
)

BY_KEY: dict[str, DimensionInfo] = {info.key: info for info in DIMENSIONS}
KEYS: tuple[str, ...] = tuple(info.key for info in DIMENSIONS)
LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]


def validate_ratings(value) -> None:
    """A ratings dict: known dimension keys only, each 0–3. Missing keys mean "not rated"."""
    if not isinstance(value, dict):
        raise ValidationError(_("Ratings must be a mapping of dimension to level."))
    unknown = sorted(set(value) - set(KEYS))
    if unknown:
        raise ValidationError(_("Unknown dimensions: %(keys)s"), params={"keys": ", ".join(unknown)})
    for key, level in value.items():
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            raise ValidationError(
                _("The rating of “%(dimension)s” must be 0, 1, 2 or 3."), params={"dimension": BY_KEY[key].label}
            )


def max_ratings(rating_dicts) -> dict[str, int]:
    """Per dimension, the highest rating among the dicts: a program made of several tasks
    demands at least what its most demanding task does."""
    result: dict[str, int] = {}
    for ratings in rating_dicts:
        for key, level in (ratings or {}).items():
            if key in BY_KEY:
                result[key] = max(result.get(key, 0), int(level))
    return {key: result[key] for key in KEYS if key in result}


def rows_for_display(ratings: dict | None) -> list[dict]:
    """One entry per dimension in the fixed order, for templates (tables, charts)."""
    ratings = ratings or {}
    return [
        {
            "key": info.key,
            "label": info.label,
            "level": ratings.get(info.key),
            "description": info.level_text(ratings[info.key]) if info.key in ratings else None,
        }
        for info in DIMENSIONS
    ]
