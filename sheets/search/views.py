"""The program search page (/programs/) and saved searches.

The whole search lives in the query string (bookmarkable, shareable). An htmx request gets
the results fragment only; without JavaScript the form submits as a plain GET. The page runs
a constant number of queries whatever the number of results (see tests/sheets/test_search.py)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.access import agency_role_required, role_required
from registry.models import Role, acting_membership
from registry.sql import planned_for_their_values
from sheets.breakdowns.models import TaskRow
from sheets.printing.print_list import PrintList
from sheets.printing.sheets import PICTOGRAM_FIELDS, pictograms
from sheets.programs.models import Program
from sheets.programs.selectors import reverify_candidates
from sheets.search.access import get_saved_search_for_user
from sheets.search.filters import ProgramSearch
from sheets.search.forms import SavedSearchForm
from sheets.search.models import SavedSearch
from sheets.search.pagination import counted_page
from sheets.search.services import clean_query, saved_search_create, saved_search_delete
from sheets.search.suggestions import suggestions

PAGE_SIZE = 20
# What a result card shows (sheets/_partials/search_card.html and its pictograms): a page of
# results reads these columns only, not the sheets' long texts and the search columns (a
# program row is ≈ 2.4 kB) — fewer columns to compile, send and turn into objects.
CARD_FIELDS = (
    *("uuid", "title", "status", "engagement_type", "is_paid", "days", "start_time", "end_time"),
    *("meeting_point", "last_verified_on", *PICTOGRAM_FIELDS),
    *("employer__name", "employer__address", "employer__region__name", "employer__region__prefecture__name"),
)
NOT_FILTERS = {"page", "sort"}  # parameters that do not narrow the results
NOT_FACETS = {"q", "sort"}  # the form's fields that are not in the side column


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def _search_url(query: QueryDict) -> str:
    encoded = query.urlencode()
    return reverse("program_list") + (f"?{encoded}" if encoded else "")


def active_filters(program_search: ProgramSearch, query: QueryDict) -> list[ActiveFilter]:
    """Each filter value in use, with the URL of the same search without it."""
    form = program_search.form
    result = []
    for name in form.fields:
        if name in NOT_FILTERS:
            continue
        field = form[name]
        choices = dict((str(k), str(v)) for k, v in getattr(form.fields[name], "choices", []))
        for value in query.getlist(name):
            if not value or (choices and value not in choices):
                continue
            rest = query.copy()
            rest.setlist(name, [v for v in query.getlist(name) if v != value])
            rest.pop("page", None)
            result.append(ActiveFilter(str(field.label), choices.get(value, value), _search_url(rest)))
    return result


def _results(request: HttpRequest, query: QueryDict, program_search: ProgramSearch) -> dict:
    programs = (
        program_search.qs.select_related("employer__region__prefecture")
        .only(*CARD_FIELDS)
        .prefetch_related(Prefetch("source_rows", queryset=TaskRow.objects.order_by()))
    )
    page = counted_page(programs, query.get("page"), PAGE_SIZE)
    print_list = PrintList.of(request)
    cards = [{"program": p, "pictograms": pictograms(p), "in_list": print_list.contains(p)} for p in page.object_list]
    rest = query.copy()
    rest.pop("page", None)
    program_search.show_facet_counts(program_search.cached_facet_counts())
    suggested = []
    if page.paginator.count == 0:
        for suggestion in suggestions(program_search):
            instead = rest.copy()
            instead["q"] = suggestion.words
            suggested.append({"words": suggestion.words, "count": suggestion.count, "url": _search_url(instead)})
    return {
        "page": page,
        "cards": cards,
        "query": rest.urlencode(),
        "filters_in_use": active_filters(program_search, rest),
        "suggestions": suggested,
        "facet_fields": [field for field in program_search.form if field.name not in NOT_FACETS],
    }


def _render_search(request: HttpRequest, query: QueryDict, *, partial: bool = False, save_form=None) -> HttpResponse:
    with planned_for_their_values(Program):  # the search's best plan depends on its keyword and viewer
        return _search_page(request, query, partial=partial, save_form=save_form)


def _search_page(request: HttpRequest, query: QueryDict, *, partial: bool, save_form) -> HttpResponse:
    visible = Program.objects.for_user(request.user)
    program_search = ProgramSearch(query or None, queryset=visible, request=request)
    context = {"filter": program_search, **_results(request, query, program_search)}
    if partial:
        context["is_partial"] = True  # also refreshes the saved-search form's query (out of band)
        return render(request, "sheets/_partials/search_results.html", context)
    membership = acting_membership(request.user)
    agency = membership.agency if membership else None
    context |= {
        "reverify_due": None,
        "saved_searches": list(SavedSearch.objects.for_user(request.user, agency)),
        "save_form": save_form or SavedSearchForm(),
        "can_save": agency is not None,
    }
    if membership is not None and membership.has_role(Role.COORDINATOR):
        context["reverify_due"] = reverify_candidates(membership.agency).count()
    return render(request, "sheets/program_search.html", context)


@role_required(Role.COUNSELOR)
def program_search(request: HttpRequest) -> HttpResponse:
    return _render_search(request, request.GET, partial=bool(request.htmx))


@require_POST
@agency_role_required(Role.COUNSELOR)
def saved_search_add(request: HttpRequest) -> HttpResponse:
    """Save the search the page shows (its query string comes back in a hidden field)."""
    agency = acting_membership(request.user).agency
    allowed = set(ProgramSearch.base_filters)
    search_query = clean_query(QueryDict(request.POST.get("query", "")), allowed)
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_search_create(
                user=request.user, agency=agency, name=form.cleaned_data["name"], query=search_query
            )
        except ValidationError as exc:
            for error in exc.message_dict.get("name", exc.messages):
                form.add_error("name", error)
        else:
            messages.success(request, _("The search “%(name)s” was saved.") % {"name": saved.name})
            return redirect(_search_url(QueryDict(search_query)))
    return _render_search(request, QueryDict(search_query), save_form=form)


@require_POST
@agency_role_required(Role.COUNSELOR)
def saved_search_remove(request: HttpRequest, saved_uuid) -> HttpResponse:
    agency = acting_membership(request.user).agency
    saved = get_saved_search_for_user(request.user, agency, saved_uuid)
    name = saved.name
    saved_search_delete(saved=saved, by=request.user)
    messages.info(request, _("The saved search “%(name)s” was deleted.") % {"name": name})
    return redirect("program_list")
