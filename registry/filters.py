from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from registry.audit_labels import action_label
from registry.models import AuditEntry, Employer, EmployerKind, Industry, Region


class EmployerFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no types
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    region = django_filters.ModelChoiceFilter(
        label=_("region"),
        queryset=Region.objects.none(),
        field_name="region",
        to_field_name="code",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=EmployerKind.choices, empty_label=_("All"))
    industry = django_filters.ChoiceFilter(label=_("industry"), choices=Industry.choices, empty_label=_("All"))
    archived = django_filters.BooleanFilter(
        label=_("Show archived"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Employer
        fields = ["q", "region", "kind", "industry"]

    def __init__(self, data: QueryDict | None = None, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        # Only regions in which the user can see employers are offered.
        regions = Region.objects.filter(pk__in=self.queryset.values("region_id"))
        self.filters["region"].queryset = regions.select_related("prefecture")

    def filter_keyword(self, queryset: QuerySet[Employer], name: str, value: str) -> QuerySet[Employer]:
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_kana__icontains=word)
                | Q(description__icontains=word)
                | Q(address__icontains=word)
            )
        return queryset

    def filter_archived(self, queryset: QuerySet[Employer], name: str, value: bool) -> QuerySet[Employer]:
        return queryset  # applied in qs, so that an absent value hides archived employers too

    @property
    def qs(self) -> QuerySet[Employer]:
        qs: QuerySet[Employer] = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("archived"):
            qs = qs.filter(is_active=True)
        return qs


class AuditFilter(django_filters.FilterSet):  # type: ignore[misc]
    action = django_filters.ChoiceFilter(label=_("action"), choices=[], empty_label=_("All"))
    actor = django_filters.CharFilter(label=_("who"), field_name="actor__email", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    target = django_filters.CharFilter(label=_("object id"), field_name="target_id", lookup_expr="iexact")

    class Meta:
        model = AuditEntry
        fields = ["action", "actor", "since", "until", "target"]

    def __init__(self, data: QueryDict | None = None, queryset: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        actions = self.queryset.order_by().values_list("action", flat=True).distinct()
        labelled = [(a, action_label(a)) for a in set(actions)]
        self.filters["action"].extra["choices"] = sorted(labelled, key=lambda choice: (str(choice[1]), choice[0]))
