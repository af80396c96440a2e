"""The API's filters: the program search page's facets (sheets/search_filters.py), reused.

Differences from the page, all because another system calls it rather than a person:
- region and prefecture are the public codes (全国地方公共団体コード, 都道府県コード), and any
  well-formed code is accepted (an unknown one simply matches nothing) instead of the page's
  list of regions the user has programs in;
- no status (always published) and no sort: results come in one stable order (by id), which is
  what makes cursor pagination walk every result exactly once."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from registry.filters import EmployerFilter
from registry.models import Industry
from sheets.search.filters import ProgramSearch

KEYWORD_MAX_LENGTH = 200
# Patterns as the OpenAPI document states them (ECMA-262); `_python` anchors them the same way
# in Python (where `$` would also match before a final newline). Values are not stripped:
# "123456 " is not a region code, whatever a form for people would forgive. An empty value
# means "no filter", as when the search page's form sends an empty field.
PATTERNS = {
    "region": "^([0-9]{6})?$",
    "prefecture": "^([0-9]{2})?$",
    "cursor": "^([0-9a-f]{32})?$",
    "limit": "^[0-9]{1,3}$",
}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _python(name: str) -> str:
    return PATTERNS[name].removesuffix("$") + r"\Z"


def _code_filter(name: str, field_name: str, label) -> django_filters.CharFilter:
    message = _("Enter the 6-digit local government code.") if name == "region" else _("Enter the 2-digit code.")
    return django_filters.CharFilter(
        label=label, field_name=field_name, strip=False, validators=[RegexValidator(_python(name), message)]
    )


class ApiProgramFilter(ProgramSearch):
    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keywords", max_length=KEYWORD_MAX_LENGTH, strip=False
    )
    prefecture = _code_filter("prefecture", "employer__region__prefecture__code", _("prefecture"))
    region = _code_filter("region", "employer__region__code", _("region"))
    industry = django_filters.ChoiceFilter(
        label=_("industry"), field_name="employer__industry", choices=Industry.choices
    )
    status = None  # published only
    sort = None  # one stable order

    def _narrow_choices(self, visible) -> None:
        pass  # fixed vocabularies and codes: nothing to narrow (and no queries)

    @property
    def qs(self):
        return django_filters.FilterSet.qs.fget(self).order_by("uuid")


class ApiEmployerFilter(EmployerFilter):
    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", max_length=KEYWORD_MAX_LENGTH, strip=False
    )
    prefecture = _code_filter("prefecture", "region__prefecture__code", _("prefecture"))
    region = _code_filter("region", "region__code", _("region"))
    archived = None  # employers of published programs only

    class Meta(EmployerFilter.Meta):
        fields = ["q", "prefecture", "region", "kind", "industry"]

    def __init__(self, data=None, queryset=None, **kwargs) -> None:
        django_filters.FilterSet.__init__(self, data, queryset, **kwargs)  # no region list to narrow

    @property
    def qs(self):
        return django_filters.FilterSet.qs.fget(self).order_by("uuid")


class PageForm(forms.Form):
    """`limit` (1–100) and `cursor` (the `next` link carries it), checked as strictly as the
    document states them: no signs, decimals or spaces."""

    limit = forms.RegexField(label=_("Results per page"), regex=_python("limit"), strip=False, required=False)
    cursor = forms.RegexField(
        label=_("Cursor"),
        regex=_python("cursor"),
        strip=False,
        required=False,
        error_messages={"invalid": _("Not a valid cursor: use the next link of the previous page.")},
    )

    def clean_limit(self) -> int:
        raw = self.cleaned_data.get("limit")
        if "limit" not in self.data:
            return PAGE_SIZE
        if not raw:
            raise forms.ValidationError(_("Enter a number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE})
        value = int(raw)
        if not 1 <= value <= MAX_PAGE_SIZE:
            raise forms.ValidationError(_("Enter a number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE})
        return value
