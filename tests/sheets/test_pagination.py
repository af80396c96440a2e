"""counted_page (sheets/pagination.py) gives the page Django's Paginator gives, with the total
counted in the page's own query."""

import pytest
from django.core.paginator import Paginator

from sheets.programs.models import Program
from sheets.search.pagination import counted_page
from tests.sheets.factories import ProgramFactory, TimetableRowFactory

PER_PAGE = 2


@pytest.fixture
def programs(world):
    return [ProgramFactory(employer=world.employer_a, title=f"仕事{i}") for i in range(5)]


def as_seen(page) -> tuple:
    return ([p.title for p in page.object_list], page.number, page.paginator.count, page.paginator.num_pages)


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "4", "99", "0", "-1", "abc", 2])
def test_the_same_page_as_django_paginator(programs, number):
    ordered = Program.objects.order_by("title")
    assert as_seen(counted_page(ordered, number, PER_PAGE)) == as_seen(Paginator(ordered, PER_PAGE).get_page(number))


def test_one_query_for_the_rows_and_the_total(programs, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(Program.objects.order_by("title"), "2", PER_PAGE)
        assert page.paginator.count == 5 and page.paginator.num_pages == 3 and page.has_next()
        assert [p.title for p in page] == ["仕事2", "仕事3"]


def test_nothing_found_is_an_empty_first_page(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = counted_page(Program.objects.filter(title="無い").order_by("pk"), 1, PER_PAGE)
        assert page.paginator.count == 0 and list(page) == [] and page.number == 1


def test_distinct_results_are_counted_after_distinct(programs):
    for program in programs[:2]:
        TimetableRowFactory.create_batch(3, program=program)
    joined = Program.objects.filter(timetable__isnull=False).order_by("title").distinct()
    page = counted_page(joined, 1, PER_PAGE)
    assert page.paginator.count == 2 == Paginator(joined, PER_PAGE).count
