"""In the normal type, a page break never splits a group of facts on ② and ③ (いつ・どこで, お金,
人数と申し込み…): the group goes to the next page whole with its heading, so a client does not
find 「交通費」 on page 2 without the heading 「お金」 it belongs to. A sweep of text lengths moves
the break through the whole sheet. (A sheet in the smaller type is packed to its page budget,
where a group may continue: test_print_budget.)"""

import pytest

from sheets.printing import pdf
from sheets.printing import sheets as printing
from tests.sheets.print_fixtures import demo_program, filled

pytestmark = pytest.mark.slow  # dozens of layouts


def pages_of_groups(document) -> dict[str, set[int]]:
    """Each group of facts (dl.facts, named by its first term) → the pages it has boxes on."""
    found: dict[int, tuple[str, set[int]]] = {}

    def visit(box, page: int) -> None:
        element = getattr(box, "element", None)
        if getattr(box, "element_tag", "") == "dl" and "facts" in (element.get("class") or "").split():
            name = "".join(element.find("dt").itertext())
            found.setdefault(id(element), (name, set()))[1].add(page)
        for child in getattr(box, "children", ()):
            visit(child, page)

    for number, page in enumerate(document.pages):
        visit(page._page_box, number)
    return dict(found.values())


@pytest.mark.parametrize("kind", ["client", "supporter"])
def test_a_page_break_moves_a_group_of_facts_whole(world, kind):
    program = demo_program(world.agency_a, world.coordinator_a)
    split, on_two_pages = {}, 0
    for length in range(100, 1300, 60):
        program.what_you_do = filled(length, "〔終〕")
        context = printing.program_context(program, kind)
        document = pdf.layout(printing.render_sheet_html(kind, context))
        groups = pages_of_groups(document)
        assert len(groups) >= 4, groups  # いつ・どこで, 服装と持ち物, お金, 人数と申し込み
        on_two_pages += len(document.pages) > 1
        if broken := [name for name, pages in groups.items() if len(pages) > 1]:
            split[length] = broken
    assert on_two_pages >= 10  # the break went through the sheet
    assert not split
