from registry.access import ACTING_AGENCY_SESSION_KEY


class ActingAgencyMiddleware:
    """Tells the access rules which of the user's agencies they act for (chosen in the header)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            user.acting_agency_id = request.session.get(ACTING_AGENCY_SESSION_KEY)
        return self.get_response(request)
