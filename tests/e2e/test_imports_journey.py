"""Spreadsheet import in the browser: upload a CSV with a bad row → the preview names the row
and column and offers no confirmation → upload the corrected file → preview → confirm → the
programs are drafts of the agency. axe: 0 violations on every page, also at 390 px width.

Locators avoid UI wording (the Japanese catalogue is filled in later): they use the page's
structure (the file input, the confirm form, the tables' ids)."""

from playwright.sync_api import expect

from sheets.programs.models import Program, ProgramStatus
from tests.e2e.conftest import ARTIFACTS, assert_accessible, log_in
from tests.sheets.import_files import csv_text, rows_for


def _upload(page, path) -> None:
    page.goto("/imports/")
    page.locator('input[type="file"][name="file"]').set_input_files(str(path))
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()
    page.wait_for_url("**/imports/*-*/")


def test_upload_preview_confirm(page, world, tmp_path):
    log_in(page, world.coordinator_a)
    page.goto("/employers/")
    page.locator('a[href="/imports/"]').click()
    expect(page.locator('input[type="file"][name="file"]')).to_be_visible()
    assert_accessible(page, "imports_start")

    rows = rows_for(3)
    rows[1]["参加形態"] = "研修"  # not an engagement type
    bad = tmp_path / "しごと情報.csv"
    bad.write_bytes(csv_text(rows).encode("cp932"))
    _upload(page, bad)
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("参加形態")
    expect(problems.first.locator("td").first).to_have_text("3")
    expect(page.locator('form[action$="/confirm/"]')).to_have_count(0)
    assert_accessible(page, "imports_preview_errors")
    assert Program.objects.filter(external_id__startswith="P-").count() == 0

    rows[1]["参加形態"] = "体験"
    good = tmp_path / "しごと情報_修正.csv"
    good.write_bytes(csv_text(rows).encode("utf-8-sig"))
    _upload(page, good)
    expect(page.locator("#problems")).to_have_count(0)
    expect(page.locator("#rows tbody tr")).to_have_count(3)
    assert_accessible(page, "imports_preview_ready")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "imports_preview_ready_390")
    page.screenshot(path=str(ARTIFACTS / "imports_preview_ready_390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.locator('form[action$="/confirm/"] button[type="submit"]').click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.locator('form[action$="/confirm/"]')).to_have_count(0)
    assert_accessible(page, "imports_applied")
    programs = Program.objects.filter(owner=world.agency_a, external_id__startswith="P-")
    assert sorted(programs.values_list("status", flat=True)) == [ProgramStatus.DRAFT] * 3
