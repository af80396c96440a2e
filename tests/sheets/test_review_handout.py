"""The review link's printed hand-out: an A4 PDF for the employer contact with the link as
text and as a QR code, the sheets to check, the expiry date and whom to ask."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from registry.models import Role
from sheets.printing import sheets as printing
from sheets.programs import services
from tests.factories import MembershipFactory
from tests.sheets.factories import ProgramFactory


@pytest.fixture
def program(world):
    world.agency_a.phone = "072-780-0000"
    world.agency_a.save()
    return ProgramFactory(employer=world.employer_a, title="部品の袋詰め体験")


@pytest.fixture
def coordinator(world, login):
    world.coordinator_a.name = "伊藤 花子"
    world.coordinator_a.save()
    return login(world.coordinator_a)


def new_link(client, program) -> tuple[str, str]:
    """Create a link through the page and read back what the page shows once: (hand-out URL, token)."""
    page = client.post(reverse("review_link_create", args=[program.uuid]), {"days": "14"}, follow=True)
    html = page.content.decode()
    assert "印刷用の案内（QRコード付き）" in html
    action = re.search(r'action="([^"]*handout\.pdf)"', html).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return action, token


def test_the_new_link_offers_the_hand_out_and_it_is_a_pdf_with_the_link(world, coordinator, program):
    action, token = new_link(coordinator, program)
    response = coordinator.post(action, {"token": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")  # poppler-utils: installed for the tests by `make test`
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        flat = re.sub(r"\s+", "", text)
        assert f"/review/{token}/" in flat
        assert "有限会社みどり紙工" in flat and "部品の袋詰め体験" in flat and "伊藤花子" in flat


def test_the_hand_out_says_what_to_check_until_when_and_whom_to_ask(world, program):
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    world.coordinator_a.name = "伊藤 花子"
    url = f"https://shigoto.example.jp/review/{token}/"
    html = printing.render_sheet_html(
        "review_handout", printing.review_handout_context(program, link, url=url, contact=world.coordinator_a)
    )
    assert url in html and "<svg" in html
    assert "有限会社みどり紙工" in html and "部品の袋詰め体験" in html
    for sheet in ("事業所紹介シート", "相談者向け", "支援員向け"):
        assert sheet in html
    expires = link.expires_at.astimezone().date()
    assert f"{expires.year}年{expires.month}月{expires.day}日" in html
    assert "機関A" in html and "伊藤 花子" in html and "072-780-0000" in html


def test_another_agency_gets_no_hand_out(world, coordinator, login, program):
    action, token = new_link(coordinator, program)
    client = login(MembershipFactory(agency=world.agency_c, role=Role.COORDINATOR).user)
    assert client.post(action, {"token": token}).status_code == 404


def test_a_colleague_without_the_role_gets_no_hand_out(world, coordinator, login, program):
    action, token = new_link(coordinator, program)
    assert login(world.counselor_a).post(action, {"token": token}).status_code == 403


def test_a_token_of_another_link_gets_no_hand_out(world, coordinator, program):
    action, _token = new_link(coordinator, program)
    _other, other_token = services.review_link_create(program=program, by=world.coordinator_a)
    assert coordinator.post(action, {"token": other_token}).status_code == 404
    assert coordinator.post(action).status_code == 404


def test_a_revoked_link_gets_no_hand_out(world, coordinator, program):
    action, token = new_link(coordinator, program)
    link = program.review_links.get()
    services.review_link_revoke(link=link, by=world.coordinator_a)
    response = coordinator.post(action, {"token": token}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "案内は印刷できません" in response.content.decode()
