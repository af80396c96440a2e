"""The preview is one long sheet of paper; the PDF has pages. `pdf.page_starts` says, from the
PDF's own layout, where each page after the first begins — which element of <main> opens it and
how many of its lines the page before holds — and the preview draws a dashed line there
(tests/e2e/test_sheets_print.py checks the line in a browser against the PDF's page 2)."""

import io

from pypdf import PdfReader

from sheets.printing import pdf
from sheets.printing import sheets as printing
from tests.sheets.print_fixtures import max_program
from tests.sheets.test_print import compact

# A small page and 10 mm lines: a page holds exactly 4 lines of text.
PAGE = (
    "<style>@page { size: 100mm 45mm; margin: 0 } body { margin: 0 } table { border-spacing: 0 }"
    " p, td { margin: 0; padding: 0; line-height: 10mm; font-size: 5mm }</style>"
)


def starts(body: str) -> list[dict]:
    return pdf.page_starts(pdf.layout(f"<!doctype html><html><head>{PAGE}</head><body>{body}</body></html>"))


def test_a_page_that_opens_with_an_element_names_it_by_its_place_in_main():
    found = starts("<p>外</p><main><p>一</p><div style='break-before: page'><p>二</p></div></main>")
    # In <main>: 0 <p>一, 1 <div>, 2 <p>二 — the element before <main> is not counted.
    assert found == [{"page": 2, "element": 1, "tag": "div", "lines": 0}]


def test_a_paragraph_over_the_break_says_how_many_of_its_lines_came_before():
    lines = "<br>".join(f"行{n}" for n in range(1, 11))
    found = starts(f"<main><p>見出し</p><p>{lines}</p></main>")
    # Page 1: 見出し and lines 1–3; page 2: lines 4–7; page 3: lines 8–10.
    assert found == [
        {"page": 2, "element": 1, "tag": "p", "lines": 3},
        {"page": 3, "element": 1, "tag": "p", "lines": 7},
    ]


def test_a_table_header_repeated_on_the_next_page_is_not_where_it_begins():
    rows = "".join(f"<tr><td>行{n}</td></tr>" for n in range(1, 7))
    found = starts(f"<main><table><thead><tr><td>見出し</td></tr></thead><tbody>{rows}</tbody></table></main>")
    # 0 table, 1 thead, 2 tr, 3 td, 4 tbody, then (tr, td) per row: page 2 opens with row 4 (index 11).
    assert found == [{"page": 2, "element": 11, "tag": "tr", "lines": 0}]


def test_a_one_page_sheet_has_no_breaks(world):
    from tests.sheets.factories import ProgramFactory

    printed = printing.sheet_pdf(ProgramFactory(employer=world.employer_a), "client")
    assert printed.pages == 1 and printed.page_starts == ()


def test_a_two_page_sheet_marks_the_element_that_opens_page_two_and_keeps_it_in_the_cache(world):
    program, _texts = max_program(world.agency_a)
    printed = printing.sheet_pdf(program, "supporter")
    assert printed.pages == 2 and not printed.from_cache
    (start,) = printed.page_starts
    assert start["page"] == 2
    again = printing.sheet_pdf(program, "supporter")
    assert again.from_cache and again.page_starts == printed.page_starts

    # The marked element's text ends on page 2 of the PDF (it opens the page or runs over to it).
    from tinyhtml5 import parse

    context = printing.program_context(program, "supporter")
    html = printing.render_sheet_html("supporter", context, density=printed.density)
    main = next(e for e in parse(html, namespace_html_elements=False).iter() if e.tag == "main")
    element = [e for e in main.iter() if e is not main and isinstance(e.tag, str)][start["element"]]
    assert element.tag == start["tag"]
    text = compact("".join(element.itertext()))
    first, second = (compact(page.extract_text()) for page in PdfReader(io.BytesIO(printed.pdf)).pages)
    assert text[-6:] in second
    if start["lines"] == 0:  # nothing of it on page 1 (its first words may be another field's too)
        assert text not in first and text in second
