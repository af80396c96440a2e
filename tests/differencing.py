"""An attacker's view of a page of figures: what can be worked out from the numbers shown.

`recoverable(cells, equations)` takes every cell as the reader sees it (a number, 「3件未満」 =
0–2, or 「秘匿」 = anything from 0 up) and every sum the reader knows (a total = the sum of its
parts; a total may itself be hidden) and returns the hidden small cells whose value is pinned
down. Exhaustive (a depth-first search that drops a branch as soon as a sum is exceeded or can
no longer be reached), so only for the small tables of a test."""

from registry.smallcounts import SMALL, _bounds


def recoverable(cells: dict, equations: list[tuple[object, list]], *, ceiling: int = 12) -> dict:
    """Searched one group of linked sums at a time (sums that share no cell are independent)."""
    groups: list[tuple[set, list]] = []
    for equation in equations:
        members = {equation[0], *equation[1]}
        linked = [g for g in groups if g[0] & members]
        for g in linked:
            groups.remove(g)
            members |= g[0]
        groups.append((members, [e for g in linked for e in g[1]] + [equation]))
    found: dict = {}
    for members, group_equations in groups:
        found |= _recoverable({k: cells[k] for k in members}, group_equations, ceiling=ceiling)
    return found


def _recoverable(cells: dict, equations: list[tuple[object, list]], *, ceiling: int) -> dict:
    hidden = [key for key, cell in cells.items() if cell.hidden]
    # Interval reasoning first (sound: it never rules out a possible value), then every
    # combination within those intervals. A withheld count is taken as anything from 0.
    relaxed = {
        key: type(cell)(cell.value, "group") if cell.hidden and cell.hidden != SMALL else cell
        for key, cell in cells.items()
    }
    bounds = _bounds(relaxed, equations)
    lower = {key: bounds[key][0] for key in hidden}
    upper = {key: min(bounds[key][1], ceiling) for key in hidden}
    assignment = {key: cell.value for key, cell in cells.items() if not cell.hidden}
    possible: dict = {key: set() for key in hidden}
    lines = [(total, parts) for total, parts in equations]

    def consistent() -> bool:
        for total, parts in lines:
            members = [total, *parts]
            known = [m for m in members if m in assignment]
            part_sum = sum(assignment[p] for p in parts if p in assignment)
            if total in assignment:
                if part_sum > assignment[total]:
                    return False
                missing = [p for p in parts if p not in assignment]
                if not missing and part_sum != assignment[total]:
                    return False
                if part_sum + sum(upper.get(p, 0) for p in missing) < assignment[total]:
                    return False
            del known
        return True

    def search(index: int) -> None:
        if index == len(hidden):
            for key in hidden:
                possible[key].add(assignment[key])
            return
        key = hidden[index]
        for value in range(lower[key], upper[key] + 1):
            assignment[key] = value
            if consistent():
                search(index + 1)
            del assignment[key]

    search(0)
    return {key: values for key, values in possible.items() if cells[key].hidden == SMALL and len(values) < 2}
