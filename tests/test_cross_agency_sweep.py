"""Cross-agency sweep: every URL of the permission matrix, as every persona, by GET, by GET as
an htmx request and by POST — and no response may carry another agency's private data.

Agencies A (region X) and C (region Y, another prefecture) each get private objects whose
texts are unique markers: a draft program, a task breakdown, a client with a self-introduction
and a needs check, a workshop series that is not shared; A's hand-offs to B carry A's client
with only one part consented. Staff of other agencies and anonymous visitors must never receive
a marker in a page, an htmx fragment, an error page, a PDF or a download (CSV, Excel, JSON, zip:
their cells and members are read). The request count is printed at the end of the run (figures)."""

import io
import json
import zipfile

import pytest
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from sheets.interop.imports.models import ImportBatch, ImportStatus
from sheets.network.models import Handoff
from tests.conftest import PERSONAS
from tests.figures import count
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory
from tests.sheets.network_factories import NeedsCheckFactory
from tests.test_permission_matrix import APP_MATRIX_MODULES, MATRIX
from tests.workshops.factories import CardFactory, SeriesFactory, SessionFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _private_markers(world) -> dict[str, set[str]]:
    """Per agency attribute: marker texts only that agency may see."""
    markers = {}
    for key in ("agency_a", "agency_c"):
        agency = getattr(world, key)
        employer = world.employer_a if key == "agency_a" else world.employer_c
        tag = "甲" if key == "agency_a" else "乙"
        texts = {
            f"秘密の下書き体験{tag}",
            f"秘密の困りごと{tag}",
            f"秘密のよびな{tag}さん",
            f"秘密の心配ごと{tag}",
            f"秘密のカード{tag}",
            f"秘密の取り込み{tag}",
            f"秘密の状況{tag}",
        }
        ProgramFactory(employer=employer, title=f"秘密の下書き体験{tag}")
        TaskBreakdownFactory(employer=employer, unmet_needs=f"秘密の困りごと{tag}")
        client = ClientFactory(agency=agency, preferred_name=f"秘密のよびな{tag}さん")
        introduction = SelfIntroductionFactory(client=client, worries=f"秘密の心配ごと{tag}")
        needs_check = NeedsCheckFactory(client=client, situation=f"秘密の状況{tag}")
        if key == "agency_a" and hasattr(world, "handoff_ab"):
            # A's hand-offs to B (tests/sheets/matrix_network.py) now carry this client, with only
            # "interests" consented: B sees those, never the name, the worries or the needs check.
            Handoff.objects.filter(pk__in=[world.handoff_ab.pk, world.handoff_ab_accepted.pk]).update(
                client=client, introduction=introduction, needs_check=needs_check
            )
        series = SeriesFactory(organiser=agency)
        CardFactory(session=SessionFactory(series=series), text=f"秘密のカード{tag}")
        _import_batch(agency, f"秘密の取り込み{tag}")
        markers[key] = texts
    return markers


def _import_batch(agency, marker: str) -> None:
    """An uploaded, unconfirmed spreadsheet: its file name and rows are the agency's."""
    row = {"line": 2, "employer": {"external_id": "S-1", "name": f"{marker}事業所"}, "program": {}, "errors": []}
    ImportBatch.objects.create(
        agency=agency,
        file_name=f"{marker}.csv",
        sha256="0" * 64,
        file_format="csv",
        status=ImportStatus.READY,
        rows=[row | {"employer_action": "create", "program_action": ""}],
        row_count=1,
    )


def _forbidden_for(world, persona: str, markers) -> set[str]:
    user = world.users[persona]
    if persona == "platform_admin":
        return set()  # the operator sees everything through the app and the admin
    own = {m.agency_id for m in user.memberships.all()} if user else set()
    return {text for key, texts in markers.items() if getattr(world, key).pk not in own for text in texts}


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return _body_text(body, response.get("Content-Type", ""))


def _body_text(body: bytes, kind: str) -> str:
    """The text a reader of the file would see: PDF text, spreadsheet cells, archive members."""
    if kind.startswith("application/pdf"):
        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if kind.startswith("image/"):
        return ""  # photos carry no text
    if kind.startswith(XLSX):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row if v)
    if kind.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(_body_text(archive.read(name), _member_type(name)) for name in archive.namelist())
    if kind.startswith("application/json"):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)  # \uXXXX escapes would hide markers
        except ValueError:
            pass
    return body.decode("utf-8-sig", errors="replace")  # text/html, text/csv (with its BOM)


MEMBER_TYPES = {"json": "application/json", "xlsx": XLSX, "pdf": "application/pdf"}


def _member_type(name: str) -> str:
    return MEMBER_TYPES.get(name.rsplit(".", 1)[-1], "text/plain")


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_response_carries_another_agencys_private_data(world, client, persona):
    for module in APP_MATRIX_MODULES:
        if hasattr(module, "extend_world"):
            module.extend_world(world)
    markers = _private_markers(world)
    forbidden = _forbidden_for(world, persona, markers)
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    own = {text for texts in markers.values() for text in texts} - forbidden if persona != "platform_admin" else set()
    seen: set[str] = set()
    requests = leaks = 0
    failures = []
    for name, cases in MATRIX.items():
        for case in cases:
            url = case.url(world)
            for method, headers in (("get", {}), ("get", {"HX-Request": "true"}), ("post", {})):
                with transaction.atomic():
                    response = getattr(client, method)(
                        url, data=case.data(world) if method == "post" else None, headers=headers
                    )
                    requests += 1
                    assert response.status_code < 500, (name, method, url)
                    body = _text(response)
                    found = [text for text in forbidden if text in body]
                    seen.update(text for text in own if text in body)
                    if found:
                        leaks += 1
                        failures.append((name, method, url, found))
                    transaction.set_rollback(True)
                if world.users[persona] is not None:
                    client.force_login(world.users[persona])  # a log-out case must not end the sweep
    count("cross-agency sweep requests", requests)
    count("cross-agency sweep leaks", leaks)
    assert failures == []
    # The check can fail: an agency's own staff do receive its markers in these same responses.
    for text in own:
        if "下書き体験" in text or "よびな" in text:
            assert text in seen, text
