import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sheets.models import EngagementType, Program, ProgramStatus


class ProgramFilter(django_filters.FilterSet):
    """A simple staff list; the search issue replaces it with a real search."""

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProgramStatus.choices, empty_label=_("All"))
    engagement_type = django_filters.ChoiceFilter(
        label=_("engagement type"), choices=EngagementType.choices, empty_label=_("All")
    )

    class Meta:
        model = Program
        fields = ["q", "status", "engagement_type"]

    def filter_keyword(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(employer__name__icontains=word) | Q(what_you_do__icontains=word)
            )
        return queryset
