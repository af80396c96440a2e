"""The self-introduction PDF for the host employer: only with a valid consent, only the
consented sections (health notes also need the consent to hold them), one A4 page."""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registry.models import AuditEntry
from sheets.clients.models import IntroSection
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory, SharingConsentFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# One distinctive phrase per section, so the extracted text tells which sections printed.
MARKERS = {
    IntroSection.PROFILE: "ソラマメさん",
    IntroSection.INTERESTS: "切り絵が好き",
    IntroSection.STRENGTHS: "数を数えるのが得意",
    IntroSection.EXPERIENCE: "図書館で配架",
    IntroSection.GOALS: "午前中に通えるか",
    IntroSection.WORRIES: "大きな音が苦手",
    IntroSection.REQUESTS: "手順を紙で",
    IntroSection.AVAILABILITY: "路線バス",
    IntroSection.HEALTH: "月に一度通院",
}


@pytest.fixture
def introduction(world):
    client = ClientFactory(agency=world.agency_a, preferred_name=MARKERS[IntroSection.PROFILE])
    return SelfIntroductionFactory(
        client=client,
        preferred_name=MARKERS[IntroSection.PROFILE],
        interests=MARKERS[IntroSection.INTERESTS],
        strengths=MARKERS[IntroSection.STRENGTHS],
        experience=MARKERS[IntroSection.EXPERIENCE],
        goals=MARKERS[IntroSection.GOALS],
        worries=MARKERS[IntroSection.WORRIES],
        requests=MARKERS[IntroSection.REQUESTS],
        commute_notes=MARKERS[IntroSection.AVAILABILITY],
    )


def pdf_text(response) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    return text.replace("\n", "").replace(" ", ""), len(reader.pages)


def pdf_url(introduction, consent=None) -> str:
    url = reverse("introduction_pdf", args=[introduction.client.uuid, introduction.uuid])
    return url + (f"?consent={consent.uuid}" if consent else "")


@pytest.mark.parametrize("shared", [[IntroSection.PROFILE], [IntroSection.INTERESTS, IntroSection.WORRIES]])
def test_pdf_prints_only_the_consented_sections(world, introduction, login, shared):
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a, sections=list(shared))
    response = login(world.counselor_a).get(pdf_url(introduction, consent))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text, _pages = pdf_text(response)
    for section, marker in MARKERS.items():
        assert (marker in text) == (section in shared), section
    assert world.employer_a.name in text  # addressed to the employer of the consent
    assert world.agency_a.name in text  # contact through the agency always prints


@pytest.mark.parametrize(
    ("shared", "printed"),
    [
        ([IntroSection.STRENGTHS], set()),
        ([IntroSection.STRENGTHS, IntroSection.GOALS], {"確かめたい："}),
        ([IntroSection.REQUESTS], {"配慮してほしい："}),
    ],
)
def test_the_marks_of_the_dimension_table_print_only_with_the_section_that_names_them(
    world, introduction, login, shared, printed
):
    """「得意なこと」 prints the confidence levels; the dimensions to confirm print with 「確かめたい
    こと」, those needing an accommodation with 「職場へのお願い」 — each only when it is shared."""
    introduction.want_to_confirm, introduction.wants_accommodation = ["accuracy"], ["stamina"]
    introduction.save()
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a, sections=list(shared))
    text, _pages = pdf_text(login(world.counselor_a).get(pdf_url(introduction, consent)))
    for mark in ("確かめたい：", "配慮してほしい："):
        assert (mark in text) == (mark in printed), mark
    if shared == [IntroSection.STRENGTHS]:  # the table's levels, none of its marks
        assert "数を数えるのが得意" in text and "自信" in text
        assert "確かめたい" not in text and "配慮" not in text


def test_health_notes_print_only_with_both_consents(world, introduction, login):
    introduction.client.sensitive_consent_on = datetime.date(2026, 11, 1)
    introduction.client.save()
    introduction.health_notes = MARKERS[IntroSection.HEALTH]
    introduction.save()
    everything = SharingConsentFactory(
        introduction=introduction, employer=world.employer_a, sections=IntroSection.values
    )
    without_health = SharingConsentFactory(
        introduction=introduction, employer=world.employer_a, sections=[IntroSection.PROFILE]
    )
    http = login(world.counselor_a)
    assert MARKERS[IntroSection.HEALTH] in pdf_text(http.get(pdf_url(introduction, everything)))[0]
    assert MARKERS[IntroSection.HEALTH] not in pdf_text(http.get(pdf_url(introduction, without_health)))[0]
    # The consent to hold sensitive data is withdrawn later (notes kept in the row for this test).
    introduction.client.sensitive_consent_on = None
    introduction.client.save()
    assert MARKERS[IntroSection.HEALTH] not in pdf_text(http.get(pdf_url(introduction, everything)))[0]


def test_no_consent_no_pdf(world, introduction, login):
    http = login(world.counselor_a)
    response = http.get(pdf_url(introduction))
    assert response.status_code == 403
    assert "同意" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert http.get(pdf_url(introduction) + "?consent=nonsense").status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"withdrawn_on": datetime.date(2026, 11, 2)},
        {"valid_from": datetime.date(2020, 1, 1), "valid_until": datetime.date(2020, 2, 1)},
    ],
    ids=["withdrawn", "expired"],
)
def test_a_withdrawn_or_expired_consent_prints_nothing(world, introduction, login, change):
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a, **change)
    assert login(world.counselor_a).get(pdf_url(introduction, consent)).status_code == 403


def test_a_consent_of_another_form_does_not_open_this_one(world, introduction, login):
    other = SelfIntroductionFactory(client=introduction.client)
    consent = SharingConsentFactory(introduction=other, employer=world.employer_a)
    assert login(world.counselor_a).get(pdf_url(introduction, consent)).status_code == 403


def test_printing_is_audited_without_personal_text(world, introduction, login):
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a)
    login(world.counselor_a).get(pdf_url(introduction, consent))
    entry = AuditEntry.objects.get(action="introduction.print")
    assert entry.agency == world.agency_a
    assert entry.detail["consent"] == str(consent.uuid)
    assert sorted(entry.detail["sections"]) == sorted(consent.sections)
    assert all(marker not in str(entry.detail) for marker in MARKERS.values())


def test_maximum_length_content_fits_one_page(world, login):
    long = "ながい文章のテスト。" * 20  # 200 characters: every text field at its maximum
    client = ClientFactory(agency=world.agency_a, preferred_name="あ" * 30)
    client.sensitive_consent_on = timezone.localdate()
    client.save()
    introduction = SelfIntroductionFactory(
        client=client,
        preferred_name="あ" * 30,
        counselor_name="い" * 50,
        **{f: long for f in ("interests", "strengths", "experience", "goals", "worries", "coping", "requests")},
        health_notes=long,
        commute_notes="う" * 100,
        accommodations=["shorter_hours", "extra_breaks", "clinic_visits", "written_steps", "quiet_place"],
        want_to_confirm=["accuracy", "pace", "stamina"],
        wants_accommodation=["stamina", "people"],
        days=["mon", "tue", "wed", "thu", "fri"],
    )
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a, sections=IntroSection.values)
    response = login(world.counselor_a).get(pdf_url(introduction, consent))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "self_introduction_max.pdf").write_bytes(response.content)  # to look at: pdftoppm -png
    text, pages = pdf_text(response)
    assert pages == 1
    assert text.count("ながい文章のテスト") >= 160  # nothing was cut to make it fit
