"""Form labels start with a capital letter in English (they are written lower-case where they are
a model's verbose_name too) and stay as they are in Japanese (registry/form_labels.py)."""

import re

import pytest
from django.conf import settings


def labels(response) -> list[str]:
    """The texts of the page's <label>s, <legend>s and facet headings (<summary>)."""
    html = response.content.decode()
    found = re.findall(r"<(label|legend|summary)\b[^>]*>\s*(.*?)\s*</\1>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for _tag, text in found]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/employers/", ["Region", "Kind", "Industry"]),
        ("/programs/", ["Prefecture", "Region", "Engagement type", "A supporter may accompany", "Status"]),
    ],
)
def test_filter_labels_are_capitalised_in_english(login, world, url, expected):
    client = login(world.agency_admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = labels(client.get(url))
    assert set(expected) <= set(shown), shown
    assert not [label for label in shown if label[:1].islower()]


def test_the_audit_filter_too(login, world):
    client = login(world.agency_admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = labels(client.get("/agency/audit/"))
    assert {"Action", "Who", "Object id"} <= set(shown), shown


def test_japanese_labels_are_unchanged(login, world):
    shown = labels(login(world.counselor_a).get("/programs/"))
    assert {"都道府県", "地域", "関わり方"} <= set(shown), shown
