"""An archived program cannot go into a binder (issue 20 item 4)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from sheets.printing.print_list import SESSION_KEY, PrintList
from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory
from tests.sheets.search_factories import SearchableProgramFactory


def test_an_archived_program_is_not_added_and_the_counselor_is_told_why(world, login):
    archived = ProgramFactory(employer=world.employer_a, title="終了した体験", status=ProgramStatus.ARCHIVED)
    client = login(world.coordinator_a)  # its own agency: may still open it
    response = client.post(reverse("print_list_toggle", args=[archived.uuid]))
    assert response.status_code == 302
    assert str(archived.uuid) not in client.session.get(SESSION_KEY, {})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "アーカイブ済みのプログラムはバインダーに綴じられません。"
    ]
    fragment = client.post(reverse("print_list_toggle", args=[archived.uuid]), headers={"HX-Request": "true"})
    assert "バインダーに綴じられません" in fragment.content.decode() and "<button" not in fragment.content.decode()


def test_a_program_archived_after_it_was_ticked_drops_out_of_the_binder(world, login, rf):
    program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    client = login(world.coordinator_a)
    client.post(reverse("print_list_toggle", args=[program.uuid]))
    request = rf.get("/")
    request.user, request.session = world.coordinator_a, client.session
    assert [e.program for e in PrintList(request).entries(world.coordinator_a)] == [program]
    type(program).objects.filter(pk=program.pk).update(status=ProgramStatus.ARCHIVED)
    assert PrintList(request).entries(world.coordinator_a) == []
    # It can still be taken off the list.
    client.post(reverse("print_list_toggle", args=[program.uuid]))
    assert str(program.uuid) not in client.session.get(SESSION_KEY, {})


def test_archived_results_say_so_instead_of_offering_the_print_list(world, login):
    SearchableProgramFactory(employer=world.employer_a, title="終了した体験", status=ProgramStatus.ARCHIVED)
    html = login(world.coordinator_a).get(reverse("program_list"), {"status": "archived"}).content.decode()
    assert "終了した体験" in html and "アーカイブ済みのためバインダーに綴じられません" in html
