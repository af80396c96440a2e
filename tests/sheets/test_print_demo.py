import io

from sheets.demo import intros as print_demo
from sheets.printing.models import EmployerIntro


def test_demo_introductions_are_valid_and_idempotent(world):
    print_demo.seed(io.StringIO())
    assert EmployerIntro.objects.count() == 3  # every employer of the world
    print_demo.seed(out := io.StringIO())
    assert EmployerIntro.objects.count() == 3
    assert "0 employer introductions" in out.getvalue()
