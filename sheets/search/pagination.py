"""A page of results with its total counted in the page's own query.

Django's Paginator asks the database twice: COUNT(*) of the whole result, then the page's rows.
The search's result set is every matching program of the prefecture, which the page's query
reads and sorts anyway to find its 20; a second query that reads them all again only to count
them was ≈ 10 ms of a search page (docs/performance-history.md, section 9). `COUNT(*) OVER ()` gives
the total with every row of the page."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"
# No search has this many pages; a larger number (?page=99999999999999999999) would overflow the
# database's integer OFFSET (a 500): Django's rule below answers the last page instead.
MAX_PAGE_NUMBER = 1_000_000


def counted_page(queryset: QuerySet, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, in one query when it can be."""
    paginator = Paginator(queryset, per_page)
    if queryset.query.distinct or queryset.query.combinator:
        return paginator.get_page(number)  # the window would count the rows before DISTINCT
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1  # what get_page does with a page that is not a number
    if 1 <= wanted <= MAX_PAGE_NUMBER:
        start = (wanted - 1) * per_page
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[start : start + per_page])
        if rows or wanted == 1:
            paginator.count = getattr(rows[0], TOTAL) if rows else 0  # Paginator's cached count
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)  # before the first page or past the last: Django's rule
