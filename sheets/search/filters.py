"""The program search form: keyword, facets and sort over `Program.objects.for_user(user)`.

Every choice list that names data (prefectures, regions, industries) is built from the
programs the user may see — never from all rows — so another agency's drafts do not show
through a facet. Fixed vocabularies (days, accommodations, dimensions) come from code."""

import datetime

import django_filters
from django import forms
from django.db import connections
from django.db.models import BooleanField, DurationField, ExpressionWrapper, F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.dates import add_months
from registry.models import Industry
from sheets.dimensions import Dimension
from sheets.programs.access import visibility_scope
from sheets.programs.models import ProgramStatus
from sheets.search import facets as search_facets
from sheets.search.conditions import bigram_index_pays, facet_condition, keywords_condition, relevance_annotations
from sheets.textsearch import keywords, raw_keywords
from sheets.vocabulary import Accommodation, EngagementType, Weekday

PAID = (("yes", _("Paid")), ("no", _("Unpaid")))
ACCOMPANY = (("yes", _("Allowed")), ("no", _("Not allowed")))
TIME_OF_DAY = (("morning", _("Morning")), ("afternoon", _("Afternoon")), ("evening", _("Evening")))
PLACE = (("indoor", _("Work indoors")), ("outdoor", _("Work outdoors")))
STATUS_ALL = "all"
# The default list is published programs only; the agency's own drafts, programs in review and
# archived programs are shown when this filter asks for them (issue 20 item 4).
STATUS_CHOICES = (
    (ProgramStatus.DRAFT, _("Drafts (your agency's)")),
    (ProgramStatus.IN_REVIEW, _("In review (your agency's)")),
    (ProgramStatus.ARCHIVED, _("Archived (your agency's)")),
    (STATUS_ALL, _("Every status")),
)
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


def _counts_where(
    queryset, facets: dict[str, Q], values: dict[str, tuple[str, Q]], grouped: tuple[str, ...] = ()
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """For each `values` entry (alias → (facet, condition)), the number of rows of `queryset`
    that meet its condition and every facet's condition but its own facet's; and for each
    facet of `grouped` (one value per row, on the alias `facet_<name>`), those numbers per value.

    Each condition is worked out ONCE per row, as a column of an inner query, and the counts
    are filtered on those columns. As ninety `COUNT(...) FILTER (WHERE …)` each repeating the
    other facets' conditions, PostgreSQL evaluated some 1,300 conditions per row and Django
    compiled as many (≈ 130 ms of a first search at 100,000 programs; docs/performance-history.md,
    section 14). The grouped facets are counted by GROUP BY instead of a column per value: a
    platform admin sees every municipality (≈ 1,700 in Japan), which as columns went past
    PostgreSQL's 1,664 per query. Django has no aggregate over a derived table, so the outer
    query is written here, over the inner query's own SQL and parameters: one statement."""
    flags = {f"facet_ok_{name}": condition for name, condition in facets.items() if condition}
    flags |= {alias: condition for alias, (_facet, condition) in values.items()}
    inner = queryset.order_by().annotate(
        **{flag: ExpressionWrapper(condition, output_field=BooleanField()) for flag, condition in flags.items()},
        # As text: one column of the UNION holds every grouped facet's values.
        **{f"group_{name}": Cast(f"facet_{name}", TextField()) for name in grouped},
    )
    sql, params = inner.values(*flags, *(f"group_{name}" for name in grouped)).query.sql_with_params()
    connection = connections[inner.db]
    quote = connection.ops.quote_name

    def all_met(facet: str, *also: str) -> str:
        """Every other facet's condition (and `also`)."""
        met = [*also, *(f"facet_ok_{name}" for name in facets if name != facet and f"facet_ok_{name}" in flags)]
        return " AND ".join(quote(flag) for flag in met) or "1 = 1"

    # One row of the values' counts, then (facet, value, count) rows; padded to one width (UNION).
    counted = [f"COUNT(*) FILTER (WHERE {all_met(facet, alias)})" for alias, (facet, _condition) in values.items()]
    width = max(len(counted), 1)
    branches = [f"SELECT NULL, NULL, {', '.join(counted) or 'NULL'} FROM rows_found"]  # noqa: S608 (names only)
    for name in grouped:
        column = quote(f"group_{name}")
        branches.append(
            f"SELECT '{name}', {column}, COUNT(*){', NULL' * (width - 1)} FROM rows_found"  # noqa: S608 (a facet's name)
            f" WHERE {all_met(name)} GROUP BY {column}"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH rows_found AS ({sql}) {' UNION ALL '.join(branches)}", params)
        rows = cursor.fetchall()
    fields = {name: inner.query.annotations[f"facet_{name}"].output_field for name in grouped}
    by_value: dict[str, dict[str, int]] = {name: {} for name in grouped}
    value_counts: dict[str, int] = {}
    for facet, value, *counts in rows:
        if facet is None:  # the first branch: padded with one NULL when there are no values
            value_counts = dict(zip(values, counts[: len(values)], strict=True))
        elif value is not None:
            # As the choices name it: a uuid is 32 hex digits on SQLite, hyphenated on PostgreSQL.
            by_value[facet][str(fields[facet].to_python(value))] = counts[0]
    return value_counts, by_value


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
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("Published (default)")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=Sort.CHOICES,
        method="filter_nothing",
        empty_label=None,
        # What an address without `sort` means: js/short-urls.js leaves it out of the address.
        widget=forms.Select(attrs={"data-default": Sort.RELEVANCE}),
    )

    TOKEN_PREFIX = {"days": "day", "time_of_day": "tod", "accommodations": "acc", "low_demand": "low"}

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        # Whose view `queryset` is (None: no request, e.g. a test or a script over all of it).
        self.scope = visibility_scope(request.user) if request is not None else None
        self._narrow_choices(queryset)
        for field in self.form.fields.values():
            # The facets sit outside the <form> element (page layout); this ties them to it.
            field.widget.attrs["form"] = FORM_ID

    def _narrow_choices(self, visible) -> None:
        """Prefectures, regions and industries of the programs the user may see, from ONE query
        (the distinct (region, prefecture, industry) facts of the visible programs), kept in the
        cache for the user's visibility scope (sheets/search_facets.py)."""
        facts = (
            search_facets.facts_for(self.scope, lambda: _facet_facts(visible)) if self.scope else _facet_facts(visible)
        )
        regions = sorted({(code, str(uuid), name) for code, uuid, name, *_rest in facts})
        prefectures = sorted({(code, name) for *_region, code, name, _industry in facts})
        industries = {fact[-1] for fact in facts}
        self.filters["prefecture"].extra["choices"] = prefectures
        self.filters["region"].extra["choices"] = [(uuid, name) for _code, uuid, name in regions]
        self.filters["industry"].extra["choices"] = [(v, label) for v, label in Industry.choices if v in industries]

    # --- conditions: one Q per facet value, shared by the results and the facet counts ---------

    MULTIPLE_ANY = ("engagement_type", "days", "time_of_day")  # any of the values chosen
    MULTIPLE_ALL = ("accommodations", "low_demand")  # all of them

    # The facets on the employer's columns, read once per row by the facet counts (an alias
    # each): resolving the joins in each of some ninety counts took most of their time.
    JOINED = {
        "prefecture": "employer__region__prefecture__code",
        "region": "employer__region__uuid",
        "industry": "employer__industry",
    }

    def condition(self, name: str, value, *, aliased: bool = False) -> Q:
        """The condition of facet `name` with `value` (a list for the multiple facets);
        `aliased`: on the aliases of `JOINED` (sheets of the facet counts' query)."""
        if value in (None, "", [], ()):
            return Q()
        if aliased and name in self.JOINED:
            return Q(**{f"facet_{name}": value})
        if name == "engagement_type":
            return Q(engagement_type__in=value)
        if name in ("days", "time_of_day"):
            condition = Q()
            for item in value:
                condition |= facet_condition(f"{self.TOKEN_PREFIX[name]}:{item}")
            return condition
        if name in self.MULTIPLE_ALL:
            condition = Q()
            for item in value:
                condition &= facet_condition(f"{self.TOKEN_PREFIX[name]}:{item}")
            return condition
        if name == "place":
            return facet_condition(f"place:{value}")
        if name in ("paid", "supporter_may_accompany"):
            return Q(**{"is_paid" if name == "paid" else name: value == "yes"})
        if name == "max_hours":
            return Q(day_length__lte=datetime.timedelta(hours=int(value)))
        if name == "verified_within":
            return Q(last_verified_on__gte=add_months(timezone.localdate(), -int(value)))
        if name == "status":
            return Q() if value == STATUS_ALL else Q(status=value)
        return Q(**{self.filters[name].field_name: value})

    @property
    def keyword_refused(self) -> bool:
        """Whether the keyword is over its bounds (the form then says so next to the field)."""
        return self.is_bound and "q" in self.form.errors

    def keywords_condition(self, query: str):
        """The condition of the keywords `query`, written for this search's reader."""
        return keywords_condition(raw_keywords(query), indexed=bigram_index_pays(self.scope))

    def filter_keywords(self, queryset, name, value):
        return queryset.filter(self.keywords_condition(value))

    def filter_any_token(self, queryset, name, values):
        return queryset.filter(self.condition(name, values))

    def filter_all_tokens(self, queryset, name, values):
        return queryset.filter(self.condition(name, values))

    def filter_place(self, queryset, name, value):
        return queryset.filter(self.condition(name, value))

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(self.condition(name, value))

    def filter_max_hours(self, queryset, name, value):
        return self._with_day_length(queryset).filter(self.condition(name, value))

    def filter_verified(self, queryset, name, value):
        return queryset.filter(self.condition(name, value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(self.condition(name, value))

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting happens in `qs`, after every filter

    @staticmethod
    def _with_day_length(queryset):
        if "day_length" in queryset.query.annotations:
            return queryset
        length = ExpressionWrapper(F("end_time") - F("start_time"), output_field=DurationField())
        return queryset.annotate(day_length=length)

    # --- the default list and the facet counts ------------------------------------------------

    def _status_default(self, queryset, status):
        """Published programs only (of active employers: the one rule, `ProgramQuerySet.published`)
        unless the status filter asks for others."""
        if "status" in self.filters and not status:
            return queryset.published()
        return queryset

    def filter_queryset(self, queryset):
        if self.keyword_refused:
            return queryset.none()  # nothing is searched, rather than everything but the keyword
        queryset = super().filter_queryset(queryset)
        return self._status_default(queryset, self.form.cleaned_data.get("status"))

    @property
    def chosen(self) -> dict:
        """The valid filter values of the search (nothing for an unbound or wrong form)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}

    FACETS_COUNTED = (
        *("prefecture", "region", "engagement_type", "industry", "days", "time_of_day", "max_hours", "paid"),
        *("supporter_may_accompany", "accommodations", "place", "low_demand", "verified_within", "status"),
    )

    def _choice_values(self, name: str) -> list[str]:
        values = [str(value) for value, _label in self.form.fields[name].choices if value not in ("", None)]
        return ["", *values] if name == "status" else values  # status "": the default, published

    def _with(self, name: str, value: str):
        """What the facet `name` holds once `value` is chosen: added to a multiple facet's
        values, in place of a single facet's value."""
        if name in self.MULTIPLE_ANY or name in self.MULTIPLE_ALL:
            current = [str(v) for v in self.chosen.get(name, [])]
            return current if value in current else [*current, value]
        return value

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet value, the number of results once it is chosen (the other facets and
        the keywords as they are), among the programs this user may see: ONE query whatever
        the number of facets (`_counts_where`)."""
        chosen = self.chosen
        base = self.queryset.all()
        if chosen.get("q"):
            base = base.filter(self.keywords_condition(chosen["q"]))
        base = self._with_day_length(base)  # for the max_hours facet
        base = base.alias(**{f"facet_{name}": F(path) for name, path in self.JOINED.items()})
        # What each facet asks of a result now; the default status (published) holds for every
        # other facet's counts, while the status facet counts each status.
        facets = {name: self.condition(name, chosen.get(name), aliased=True) for name in self.FACETS_COUNTED}
        facets["status"] = self.condition("status", chosen.get("status") or ProgramStatus.PUBLISHED)
        counted = [name for name in self.FACETS_COUNTED if name in self.filters]
        grouped = tuple(name for name in counted if name in self.JOINED)
        values, keys = {}, {}
        for name in counted:
            if name in grouped:
                continue
            for value in self._choice_values(name):
                alias = f"value_{len(values)}"
                keys[alias] = (name, value)
                values[alias] = (name, self._facet_value_condition(name, value))
        value_counts, by_value = _counts_where(base, facets, values, grouped)
        counts: dict[str, dict[str, int]] = {name: {} for name in self.FACETS_COUNTED}
        for alias, total in value_counts.items():
            name, value = keys[alias]
            counts[name][value] = total
        for name in grouped:
            counts[name] = {value: by_value[name].get(value, 0) for value in self._choice_values(name)}
        return counts

    def _facet_value_condition(self, name: str, value: str) -> Q:
        if name == "status":
            return self.condition(name, value or ProgramStatus.PUBLISHED)
        return self.condition(name, self._with(name, value), aliased=True)

    def cached_facet_counts(self) -> dict[str, dict[str, int]]:
        """`facet_counts()`, kept in the cache for the user's visibility scope and this search's
        filters (and today's date: "verified within" moves with it)."""
        if not self.scope:
            return self.facet_counts()
        chosen = {name: value for name, value in self.chosen.items() if name != "sort"}
        key = repr((str(timezone.localdate()), sorted((name, str(value)) for name, value in chosen.items())))
        return search_facets.counts_for(self.scope, key, self.facet_counts)

    def show_facet_counts(self, counts: dict[str, dict[str, int]]) -> None:
        """Hand the counts to the form's fields (sheets/templatetags/search_tags.py shows them)."""
        for name, by_value in counts.items():
            if name in self.form.fields:
                self.form.fields[name].facet_counts = by_value

    def without_keywords(self):
        """The search's other filters, for counting other keywords (no-results suggestions)."""
        queryset = self.queryset.all()
        chosen = self.chosen
        for name, value in chosen.items():
            if name not in ("q", "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return self._status_default(queryset, chosen.get("status"))

    # --- sorting -------------------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        if not self.is_bound or not self.form.is_valid():
            return []
        return raw_keywords(self.form.cleaned_data.get("q") or "")

    @property
    def sort_order(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else ""
        return chosen or Sort.RELEVANCE

    @property
    def qs(self):
        # Unbound (the page without a query), django-filter filters nothing: the default list
        # is still published programs only.
        queryset = super().qs if self.is_bound else self._status_default(self.queryset.all(), "")
        sort, words = self.sort_order, self.words
        if sort == Sort.RELEVANCE and words:
            return queryset.annotate(**relevance_annotations(words)).order_by("-title_hits", "-text_hits", *KANA_ORDER)
        if sort == Sort.NEWEST:
            return queryset.order_by("-created_at", "-pk")
        if sort == Sort.VERIFIED:
            return queryset.order_by(F("last_verified_on").desc(nulls_last=True), *KANA_ORDER)
        return queryset.order_by(*KANA_ORDER)
