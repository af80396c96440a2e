"""The program search form: keyword, facets and sort over `Program.objects.for_user(user)`.

Every choice list that names data (prefectures, regions, industries) is built from the
programs the user may see — never from all rows — so another agency's drafts do not show
through a facet. Fixed vocabularies (days, accommodations, dimensions) come from code."""

import datetime

import django_filters
from django import forms
from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.dates import add_months
from registry.models import Industry
from sheets.dimensions import Dimension
from sheets.programs.access import visibility_scope
from sheets.programs.models import ProgramStatus
from sheets.search import facets as search_facets
from sheets.search.conditions import facet_condition, keywords_condition, relevance_annotations
from sheets.textsearch import keywords
from sheets.vocabulary import Accommodation, EngagementType, Weekday

PAID = (("yes", _("Paid")), ("no", _("Unpaid")))
ACCOMPANY = (("yes", _("Allowed")), ("no", _("Not allowed")))
TIME_OF_DAY = (("morning", _("Morning")), ("afternoon", _("Afternoon")), ("evening", _("Evening")))
PLACE = (("indoor", _("Work indoors")), ("outdoor", _("Work outdoors")))
MAX_HOURS = [(str(h), _("Up to %(hours)d hours") % {"hours": h}) for h in (2, 3, 4, 6, 8)]
VERIFIED_WITHIN = [(str(m), _("Within %(months)d months") % {"months": m}) for m in (3, 6, 12)]


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    VERIFIED = "verified"
    KANA = "kana"
    CHOICES = (
        (RELEVANCE, _("Relevance")),
        (NEWEST, _("Newest")),
        (VERIFIED, _("Last verified")),
        (KANA, _("Employer (kana)")),
    )


FORM_ID = "search-form"
# Bounds of the keyword (issue 23 item 5): each word becomes conditions over several columns;
# 300 words took 11 s and ended in a 500. The API's keyword has the same character bound.
QUERY_MAX_CHARACTERS = 200
QUERY_MAX_WORDS = 10


def keyword_bounds(value: str) -> None:
    """The one check of the keyword's size, for the search page, its fragment and its exports."""
    if len(value) > QUERY_MAX_CHARACTERS or len(keywords(value)) > QUERY_MAX_WORDS:
        raise forms.ValidationError(
            _("Use at most %(words)d words and %(characters)d characters in the keyword."),
            code="keyword_bounds",
            params={"words": QUERY_MAX_WORDS, "characters": QUERY_MAX_CHARACTERS},
        )


KANA_ORDER = ("employer__name_kana", "title", "pk")


def _facet_facts(visible) -> set[tuple]:
    return set(
        visible.order_by()
        .values_list(
            "employer__region__code",
            "employer__region__uuid",
            "employer__region__name",
            "employer__region__prefecture__code",
            "employer__region__prefecture__name",
            "employer__industry",
        )
        .distinct()
    )


class ProgramSearch(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"),
        method="filter_keywords",
        validators=[keyword_bounds],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. 袋詰め 検品"), "maxlength": QUERY_MAX_CHARACTERS}
        ),
    )
    prefecture = django_filters.ChoiceFilter(
        label=_("prefecture"), field_name="employer__region__prefecture__code", empty_label=_("All")
    )
    region = django_filters.ChoiceFilter(label=_("region"), field_name="employer__region__uuid", empty_label=_("All"))
    # distinct=False: django-filter's default DISTINCT guards against joins to many rows; these
    # filter the program's own columns, and DISTINCT over every column doubled the count's cost.
    engagement_type = django_filters.MultipleChoiceFilter(
        label=_("engagement type"),
        choices=EngagementType.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    industry = django_filters.ChoiceFilter(label=_("industry"), field_name="employer__industry", empty_label=_("All"))
    days = django_filters.MultipleChoiceFilter(
        label=_("Days of the week (any of)"),
        choices=Weekday.choices,
        method="filter_any_token",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    time_of_day = django_filters.MultipleChoiceFilter(
        label=_("Time of day (any of)"),
        choices=TIME_OF_DAY,
        method="filter_any_token",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    max_hours = django_filters.ChoiceFilter(
        label=_("Hours per day"), choices=MAX_HOURS, method="filter_max_hours", empty_label=_("Any")
    )
    paid = django_filters.ChoiceFilter(
        label=_("Paid or unpaid"), choices=PAID, method="filter_yes_no", empty_label=_("Any")
    )
    supporter_may_accompany = django_filters.ChoiceFilter(
        label=_("a supporter may accompany"), choices=ACCOMPANY, method="filter_yes_no", empty_label=_("Any")
    )
    accommodations = django_filters.MultipleChoiceFilter(
        label=_("Accommodations offered (all of)"),
        choices=Accommodation.choices,
        method="filter_all_tokens",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    place = django_filters.ChoiceFilter(
        label=_("Indoors or outdoors"), choices=PLACE, method="filter_place", empty_label=_("Any")
    )
    low_demand = django_filters.MultipleChoiceFilter(
        label=_("Low demand on (all of)"),
        choices=Dimension.choices,
        method="filter_all_tokens",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    verified_within = django_filters.ChoiceFilter(
        label=_("date last verified"), choices=VERIFIED_WITHIN, method="filter_verified", empty_label=_("Any time")
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProgramStatus.choices, empty_label=_("All"))
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=Sort.CHOICES, method="filter_nothing", empty_label=None
    )

    TOKEN_PREFIX = {"days": "day", "time_of_day": "tod", "accommodations": "acc", "low_demand": "low"}

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        self._narrow_choices(queryset)
        for field in self.form.fields.values():
            # The facets sit outside the <form> element (page layout); this ties them to it.
            field.widget.attrs["form"] = FORM_ID

    def _narrow_choices(self, visible) -> None:
        """Prefectures, regions and industries of the programs the user may see, from ONE query
        (the distinct (region, prefecture, industry) facts of the visible programs), kept in the
        cache for the user's visibility scope (sheets/search_facets.py)."""
        scope = visibility_scope(self.request.user) if self.request is not None else None
        facts = search_facets.facts_for(scope, lambda: _facet_facts(visible)) if scope else _facet_facts(visible)
        regions = sorted({(code, str(uuid), name) for code, uuid, name, *_rest in facts})
        prefectures = sorted({(code, name) for *_region, code, name, _industry in facts})
        industries = {fact[-1] for fact in facts}
        self.filters["prefecture"].extra["choices"] = prefectures
        self.filters["region"].extra["choices"] = [(uuid, name) for _code, uuid, name in regions]
        self.filters["industry"].extra["choices"] = [(v, label) for v, label in Industry.choices if v in industries]

    # --- methods -------------------------------------------------------------------------

    @property
    def keyword_refused(self) -> bool:
        """Whether the keyword is over its bounds (the form then says so next to the field)."""
        return self.is_bound and "q" in self.form.errors

    def filter_queryset(self, queryset):
        if self.keyword_refused:
            return queryset.none()  # nothing is searched, rather than everything but the keyword
        return super().filter_queryset(queryset)

    def filter_keywords(self, queryset, name, value):
        return queryset.filter(keywords_condition(keywords(value)))

    def filter_any_token(self, queryset, name, values):
        condition = Q()
        for value in values:
            condition |= facet_condition(f"{self.TOKEN_PREFIX[name]}:{value}")
        return queryset.filter(condition)

    def filter_all_tokens(self, queryset, name, values):
        for value in values:
            queryset = queryset.filter(facet_condition(f"{self.TOKEN_PREFIX[name]}:{value}"))
        return queryset

    def filter_place(self, queryset, name, value):
        return queryset.filter(facet_condition(f"place:{value}"))

    def filter_yes_no(self, queryset, name, value):
        field = "is_paid" if name == "paid" else name
        return queryset.filter(**{field: value == "yes"})

    def filter_max_hours(self, queryset, name, value):
        length = ExpressionWrapper(F("end_time") - F("start_time"), output_field=DurationField())
        return queryset.annotate(day_length=length).filter(day_length__lte=datetime.timedelta(hours=int(value)))

    def filter_verified(self, queryset, name, value):
        since = add_months(timezone.localdate(), -int(value))
        return queryset.filter(last_verified_on__gte=since)

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting happens in `qs`, after every filter

    # --- sorting -------------------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        if not self.is_bound or not self.form.is_valid():
            return []
        return keywords(self.form.cleaned_data.get("q") or "")

    @property
    def sort_order(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        return chosen or Sort.RELEVANCE

    @property
    def qs(self):
        queryset = super().qs
        sort, words = self.sort_order, self.words
        if sort == Sort.RELEVANCE and words:
            return queryset.annotate(**relevance_annotations(words)).order_by("-title_hits", "-text_hits", *KANA_ORDER)
        if sort == Sort.NEWEST:
            return queryset.order_by("-created_at", "-pk")
        if sort == Sort.VERIFIED:
            return queryset.order_by(F("last_verified_on").desc(nulls_last=True), *KANA_ORDER)
        return queryset.order_by(*KANA_ORDER)
