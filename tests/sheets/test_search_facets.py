"""The search page's facets are written as plain markup (sheets/templatetags/search_tags.py,
faster than crispy's templates): each keeps its label, its chosen values, the link to the
search form, and an error next to the field."""

import re

import pytest
from django.urls import reverse

URL = reverse("program_list")


def facet(html: str, name: str) -> str:
    found = re.search(rf'<div id="div_id_{name}" class="mb-3">(.*?)</div>\s*</details>', html, re.S)
    assert found, f"facet {name} not on the page"
    return found.group(1)


@pytest.fixture
def page(world, login):
    counselor = login(world.counselor_a)

    def get(**params) -> str:
        response = counselor.get(URL, params)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_checkbox_facets_keep_their_legend_choices_and_the_form_they_belong_to(page):
    days = facet(page(days=["mon", "fri"]), "days")
    assert "<legend" in days and "曜日" in days
    checked = re.findall(r'<input type="checkbox"[^>]*value="(\w+)"[^>]*form="search-form"[^>]*checked>', days)
    assert checked == ["mon", "fri"]
    assert len(re.findall(r'<label for="id_days_\d"', days)) == 7  # every box has its label


def test_select_facets_have_a_label_and_the_chosen_option(page):
    paid = facet(page(paid="yes"), "paid")
    assert re.search(r'<label for="id_paid" class="form-label">有償・無償</label>', paid)
    assert re.search(r'<select name="paid" form="search-form"[^>]*id="id_paid"', paid)
    assert re.findall(r'<option value="(\w*)" selected>', paid) == ["yes"]
    assert re.findall(r'<option value="(\w*)" selected>', facet(page(), "paid")) == [""]  # 指定なし


def test_a_wrong_value_is_named_next_to_its_field(page):
    hours = facet(page(max_hours="99"), "max_hours")
    assert 'aria-invalid="true" aria-describedby="id_max_hours_error"' in hours
    assert re.search(r'<div id="id_max_hours_error" class="invalid-feedback d-block"><p><strong>[^<]*99', hours)
    days = facet(page(days="someday"), "days")
    assert '<fieldset aria-describedby="id_days_error">' in days and "someday" in days


def keyword_box(html: str) -> str:
    found = re.search(r'<div id="div_id_q" class="mb-3">(.*?)</div>', html, re.S)
    assert found, "keyword box not on the page"
    return found.group(1)


def test_the_keyword_box_keeps_its_label_words_and_hint(page):
    box = keyword_box(page(q='袋詰め "<b>"'))
    assert re.search(r'<label for="id_q" class="form-label">キーワード</label>', box)
    for attribute in ('type="search"', 'name="q"', 'form="search-form"', 'id="id_q"', 'placeholder="例：袋詰め 検品"'):
        assert attribute in box
    assert 'value="袋詰め &quot;&lt;b&gt;&quot;"' in box  # the words typed, escaped
    assert "value=" not in keyword_box(page())


def test_the_order_is_a_labelled_select_with_the_chosen_order(page):
    html = page(sort="newest")
    order = re.search(r'<div id="div_id_sort" class="mb-3">(.*?)</select>', html, re.S).group(1)
    assert re.search(r'<label for="id_sort" class="form-label">並べ替え</label>', order)
    assert re.findall(r'<option value="(\w*)" selected>', order) == ["newest"]
