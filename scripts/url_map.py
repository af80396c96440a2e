"""Write docs/url-map.md: for every URL of the app, its view, the door it goes through, the
services and selectors it calls, and the templates it renders — read from the code itself
(the URL resolver, then each view's source), so the map cannot drift from the code.

    .venv/bin/python scripts/url_map.py          # rewrite docs/url-map.md
    .venv/bin/python scripts/url_map.py --check  # exit 1 when docs/url-map.md is stale (a test runs this)
"""

import ast
import inspect
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs/url-map.md"
APPS = ("registry", "sheets", "workshops", "jobs")


@dataclass
class Row:
    url: str
    name: str
    view: str
    doors: list[str]
    writes: list[str]
    reads: list[str]
    templates: list[str]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name or "", pattern.callback


def _unwrap(view):
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return view


def _imported_from(module) -> dict[str, str]:
    """Name → module it was imported from, for `from x import name` in the view's module."""
    tree = ast.parse(inspect.getsource(module))
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _calls(function, module_names: dict[str, str], seen: set) -> tuple[set, set, set, set]:
    """Doors, services, selectors and templates named in a view and the module's own helpers it calls."""
    doors, writes, reads, templates = set(), set(), set(), set()
    if function in seen:
        return doors, writes, reads, templates
    seen.add(function)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return doors, writes, reads, templates
    module = inspect.getmodule(function)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".html"):
            templates.add(node.value)
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            full = module_names.get(target.value.id, target.value.id) + "." + target.attr
            name = target.attr
        elif isinstance(target, ast.Name):
            full, name = module_names.get(target.id, target.id), target.id
        else:
            continue
        if name.startswith("get_") and "_for_" in name:
            doors.add(full)
        elif ".services." in f".{full}" or full.split(".")[-2:-1] == ["services"]:
            writes.add(full)
        elif ".selectors." in f".{full}":
            reads.add(full)
        elif isinstance(target, ast.Name) and target.id.startswith("_") and hasattr(module, target.id):
            helper = getattr(module, target.id)
            if inspect.isfunction(helper):
                more = _calls(helper, module_names, seen)
                for found, extra in zip((doors, writes, reads, templates), more, strict=True):
                    found |= extra
    return doors, writes, reads, templates


def rows() -> list[Row]:
    from django.urls import get_resolver

    found = []
    for url, name, callback in _walk(get_resolver().url_patterns):
        view = _unwrap(callback)
        module = inspect.getmodule(view)
        if module is None or not module.__name__.startswith(APPS):
            continue
        doors, writes, reads, templates = _calls(view, _imported_from(module), set())
        found.append(
            Row(
                url="/" + url.replace("^", "").replace("$", ""),
                name=name,
                view=f"{module.__name__}.{view.__name__}",
                doors=sorted(doors),
                writes=sorted(writes),
                reads=sorted(reads),
                templates=sorted(templates),
            )
        )
    return found


def render(found: list[Row]) -> str:
    lines = [
        "# URL map",
        "",
        "Written by `scripts/url_map.py` from the URL resolver and each view's source (a test fails",
        "when it is stale: run `.venv/bin/python scripts/url_map.py`). Door = the `get_…_for_user`",
        "the view takes its object through; writes = the services it calls; reads = named selectors.",
        "Views also check the role (`role_required` and friends in `registry/access.py`).",
        "",
    ]
    by_module: dict[str, list[Row]] = {}
    for row in found:
        by_module.setdefault(row.view.rsplit(".", 1)[0], []).append(row)
    for module, module_rows in sorted(by_module.items()):
        lines += [
            f"## `{module}`",
            "",
            "| URL | name | view | door | writes | reads | templates |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in module_rows:
            cells = [
                f"`{row.url}`",
                row.name,
                row.view.rsplit(".", 1)[1],
                "<br>".join(row.doors),
                "<br>".join(row.writes),
                "<br>".join(row.reads),
                "<br>".join(row.templates),
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "url-map")
    import django

    django.setup()
    text = render(rows())
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print("docs/url-map.md is stale: run .venv/bin/python scripts/url_map.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
