"""Length caps that keep the printed sheets within their page budgets (① 1 page, ② and ③
2 pages each) even when every field is filled to the maximum: the sheets wrap and continue
long text, never cut it, so the cap is enforced where text is entered (model validators,
hence every form and service). tests/sheets/test_print_budget.py prints a program with
every field at its cap and checks the page counts."""

from django.core.validators import MaxLengthValidator

from registry.models import EMPLOYER_TEXT_LIMITS
from sheets.programs.columns import OTHER_PRINT_CAPS, PROGRAM_FIELDS

# From the column table (sheets/programs/columns.py): one cap per row that has one.
PRINT_LIMITS: dict[str, int] = {f.field: f.cap for f in PROGRAM_FIELDS if f.cap} | OTHER_PRINT_CAPS
# ① introduction (sheets.printing.models.EmployerIntro): ① prints on one page.
INTRO_LIMITS: dict[str, int] = {"atmosphere": 200, "house_rules": 200, "message": 200}
# registry.Employer's own caps (printed on ① and ②), used by the budget test.
EMPLOYER_TEXT_ASSUMED = EMPLOYER_TEXT_LIMITS
TIMETABLE_MAX_ROWS = 8


def print_cap(name: str) -> MaxLengthValidator:
    return MaxLengthValidator(PRINT_LIMITS[name])


def fit_parts(parts: list[str], cap: int, sep: str = "\n") -> str:
    """Join `parts` with `sep` within `cap` characters, for text derived from several
    records (a program made from many tasks): whole parts while they fit, then 「ほかN件」 for
    the rest, so the coordinator sees that something was left out and edits from there. A
    first part longer than the cap alone is cut and ends with 「…」."""
    parts = [p for p in parts if p]
    text = sep.join(parts)
    if len(text) <= cap:
        return text
    for keep in range(len(parts) - 1, 0, -1):
        text = sep.join(parts[:keep]) + sep + f"ほか{len(parts) - keep}件"
        if len(text) <= cap:
            return text
    rest = len(parts) - 1
    tail = f"{sep}ほか{rest}件" if rest else ""
    return parts[0][: cap - len(tail) - 1] + "…" + tail
