from io import StringIO

from django.core.management import call_command

from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.programs.selectors import reverify_due_before


def test_demo_programs_cover_every_state_and_the_reports_examples(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (TaskBreakdown.objects.count(), TaskRow.objects.count(), Program.objects.count())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert counts == (TaskBreakdown.objects.count(), TaskRow.objects.count(), Program.objects.count())
    assert Program.objects.count() >= 60
    assert set(Program.objects.values_list("status", flat=True)) == set(ProgramStatus.values)
    assert set(Program.objects.values_list("sharing_scope", flat=True)) == set(SharingScope.values)
    bagging = Program.objects.get(employer__name="伊丹内職センター協同組合", title="部品の袋詰め体験")
    negi = Program.objects.get(employer__name="玖珠ねぎ生産組合", title="ねぎの出荷調整体験")
    for program in (bagging, negi):
        program.full_clean()
        assert program.status == ProgramStatus.PUBLISHED and program.employer_approved
        assert program.timetable.count() >= 4 and program.demands and program.confirmable
    # The re-verification queue has work in it: published programs verified long ago or never.
    assert Program.objects.filter(status=ProgramStatus.PUBLISHED, last_verified_on__isnull=True).exists()
    due = Program.objects.filter(status=ProgramStatus.PUBLISHED, last_verified_on__lt=reverify_due_before())
    assert due.exists()
    for row in TaskRow.objects.all():
        row.full_clean()
