"""Visibility of programs and breakdowns: the rules of the domain guide."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sheets.breakdowns.access import get_breakdown_for_user
from sheets.breakdowns.models import TaskBreakdown
from sheets.programs.access import get_program_for_user
from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory, RegionFactory
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory


def visible(user):
    return set(Program.objects.for_user(user).values_list("title", flat=True))


@pytest.fixture
def counselor_other_region_same_prefecture(world):
    region = RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    return MembershipFactory(agency=AgencyFactory(region=region)).user


@pytest.mark.parametrize("status", [ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW, ProgramStatus.ARCHIVED])
def test_unpublished_programs_are_seen_by_the_owning_agency_only(world, status):
    ProgramFactory(employer=world.employer_a, title="p", status=status, sharing_scope=SharingScope.PREFECTURE)
    assert visible(world.counselor_a) == {"p"}
    assert visible(world.coordinator_a) == {"p"}
    assert visible(world.platform_admin) == {"p"}
    assert visible(world.counselor_b) == set()
    assert visible(world.counselor_c) == set()


def test_published_programs_follow_the_sharing_scope(world, counselor_other_region_same_prefecture):
    for scope in SharingScope:
        ProgramFactory(
            employer=world.employer_a, title=scope.value, status=ProgramStatus.PUBLISHED, sharing_scope=scope
        )
    assert visible(world.counselor_a) == {"own_agency", "region", "prefecture"}
    assert visible(world.counselor_b) == {"region", "prefecture"}
    assert visible(counselor_other_region_same_prefecture) == {"prefecture"}
    # A counselor of another prefecture never sees them.
    assert visible(world.counselor_c) == set()


def test_published_programs_of_archived_employers_are_not_shared(world):
    ProgramFactory(employer=world.employer_a_archived, title="old", status=ProgramStatus.PUBLISHED)
    assert visible(world.counselor_b) == set()
    assert visible(world.counselor_a) == {"old"}


def test_program_door(world):
    draft = ProgramFactory(employer=world.employer_a)
    assert get_program_for_user(world.coordinator_a, draft.uuid, write=True) == draft
    assert get_program_for_user(world.counselor_a, draft.uuid) == draft
    with pytest.raises(PermissionDenied):
        get_program_for_user(world.counselor_a, draft.uuid, write=True)
    with pytest.raises(Http404):
        get_program_for_user(world.counselor_b, draft.uuid)
    published = ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED)
    with pytest.raises(PermissionDenied):
        get_program_for_user(world.counselor_b, published.uuid, write=True)


def test_one_program_door_sees_what_the_lists_see(world, counselor_other_region_same_prefecture):
    for employer in (world.employer_a, world.employer_a_archived, world.employer_c):
        for status in (ProgramStatus.DRAFT, ProgramStatus.PUBLISHED):
            for scope in SharingScope:
                ProgramFactory(employer=employer, status=status, sharing_scope=scope)
    for user in [*filter(None, world.users.values()), counselor_other_region_same_prefecture]:
        visible = set(Program.objects.for_user(user))
        for program in Program.objects.all():
            if program in visible:
                assert get_program_for_user(user, program.uuid) == program
            else:
                with pytest.raises(Http404):
                    get_program_for_user(user, program.uuid)


def test_breakdowns_are_the_owning_agencys(world):
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    assert list(TaskBreakdown.objects.for_user(world.counselor_a)) == [breakdown]
    assert list(TaskBreakdown.objects.for_user(world.counselor_b)) == []
    assert get_breakdown_for_user(world.agency_admin_a, world.employer_a.uuid, breakdown.uuid, write=True)
    with pytest.raises(PermissionDenied):
        get_breakdown_for_user(world.counselor_a, world.employer_a.uuid, breakdown.uuid, write=True)
    with pytest.raises(Http404):
        get_breakdown_for_user(world.counselor_b, world.employer_a.uuid, breakdown.uuid)
    other = EmployerFactory(owner=world.agency_a)
    with pytest.raises(Http404):  # the breakdown belongs to another employer than the URL says
        get_breakdown_for_user(world.coordinator_a, other.uuid, breakdown.uuid)
