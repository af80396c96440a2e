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
# registry.Employer's own caps (printed on ① and ②), used by the budget test.
EMPLOYER_TEXT_ASSUMED = EMPLOYER_TEXT_LIMITS
TIMETABLE_MAX_ROWS = 8


def print_cap(name: str) -> MaxLengthValidator:
    return MaxLengthValidator(PRINT_LIMITS[name])
