"""Reads worth naming."""

from typing import Any

from django.db.models import Count, Q

from registry.models import (
    Agency,
    AnyUser,
    Employer,
    EmployerVisit,
    Membership,
    Prefecture,
    Role,
    acting_membership,
    is_platform_admin,
)


def dashboard_context(user: AnyUser) -> dict[str, Any]:
    """What each role sees first: counselors the shared employers, coordinators their own
    outreach, agency admins their staff, platform admins the whole platform."""
    membership = acting_membership(user)
    context: dict[str, Any] = {"membership": membership}
    visible = Employer.objects.for_user(user).active()
    context["visible_employer_count"] = visible.count()
    context["recent_employers"] = visible.select_related("region", "owner").order_by("-created_at")[:5]
    if membership is None:
        context["needs_agency"] = not is_platform_admin(user)
    if is_platform_admin(user):
        context["prefectures"] = Prefecture.objects.annotate(
            agency_count=Count("regions__agencies", distinct=True),
            employer_count=Count("regions__employers", filter=Q(regions__employers__is_active=True), distinct=True),
        )
        context["agency_count"] = Agency.objects.filter(is_active=True).count()
    if membership is None:
        return context
    agency = membership.agency
    if membership.has_role(Role.COORDINATOR):
        context["own_employer_count"] = Employer.objects.filter(owner=agency, is_active=True).count()
        context["recent_visits"] = (
            EmployerVisit.objects.filter(employer__owner=agency).select_related("employer").order_by("-visited_on")[:5]
        )
    if membership.has_role(Role.AGENCY_ADMIN):
        staff = Membership.objects.filter(agency=agency)
        context["staff_active_count"] = staff.filter(is_active=True).count()
        context["staff_pending_count"] = staff.filter(is_active=True, user__last_login__isnull=True).count()
    return context
