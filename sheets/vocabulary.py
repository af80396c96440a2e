"""The vocabularies that task rows, programs and clients share: choice lists kept in code
(coordinators will refine them; labels are translatable), one definition each.

The ten matching dimensions are sheets/dimensions.py; a program's own life cycle and sharing
choices are in sheets/programs/models.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    SEASONAL = "seasonal", _("Seasonal")


class Month(models.IntegerChoices):
    JAN = 1, _("January")
    FEB = 2, _("February")
    MAR = 3, _("March")
    APR = 4, _("April")
    MAY = 5, _("May")
    JUN = 6, _("June")
    JUL = 7, _("July")
    AUG = 8, _("August")
    SEP = 9, _("September")
    OCT = 10, _("October")
    NOV = 11, _("November")
    DEC = 12, _("December")


class Place(models.TextChoices):
    INDOOR_AC = "indoor_ac", _("Indoors with air conditioning")
    INDOOR = "indoor", _("Indoors without air conditioning")
    OUTDOOR = "outdoor", _("Outdoors")


class Posture(models.TextChoices):
    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")
    WALKING = "walking", _("Walking")
    CROUCHING = "crouching", _("Crouching")


class EnvironmentFactor(models.TextChoices):
    NOISE = "noise", _("Noise")
    SMELL = "smell", _("Smell")
    HEAT_COLD = "heat_cold", _("Heat or cold")
    DUST = "dust", _("Dust")
    INSECTS = "insects", _("Insects")
    DIRT = "dirt", _("Dirt")


class TeachingMethod(models.TextChoices):
    SPOKEN = "spoken", _("Spoken explanation")
    WRITTEN = "written", _("Written steps")
    DEMONSTRATION = "demonstration", _("Demonstration")
    SAMPLE = "sample", _("Finished sample")


class CutOut(models.TextChoices):
    YES = "yes", pgettext_lazy("can be cut out", "Yes")
    CONDITIONAL = "conditional", _("With conditions")
    NO = "no", pgettext_lazy("can be cut out", "No")


class EngagementType(models.TextChoices):
    VISIT = "visit", _("Workplace visit")
    EXPERIENCE = "experience", _("Work experience")
    PART_TIME = "part_time", _("Short-term / short-hours part-time job")
    FLEXIBLE = "flexible", _("Flexible employment")


class Weekday(models.TextChoices):
    MON = "mon", _("Mon")
    TUE = "tue", _("Tue")
    WED = "wed", _("Wed")
    THU = "thu", _("Thu")
    FRI = "fri", _("Fri")
    SAT = "sat", _("Sat")
    SUN = "sun", _("Sun")


class TaskChange(models.TextChoices):
    RARELY = "rarely", _("The same task all day")
    SOMETIMES = "sometimes", _("Two or three tasks a day, announced in advance")
    OFTEN = "often", _("Tasks change often during the day")


class Accommodation(models.TextChoices):
    SHORTER_HOURS = "shorter_hours", _("Shorter hours")
    EXTRA_BREAKS = "extra_breaks", _("Extra breaks")
    CLINIC_VISITS = "clinic_visits", _("Time off for clinic visits")
    FIXED_TASKS = "fixed_tasks", _("The same task every time")
    WRITTEN_STEPS = "written_steps", _("Written or illustrated steps")
    QUIET_PLACE = "quiet_place", _("A quiet place to work")
    ONE_CONTACT = "one_contact", _("One fixed person to ask")
    GRADUAL_START = "gradual_start", _("Gradual start")
