"""The API token form for tests/test_fuzz_forms.py (a created token answers 201, not the form)."""

from tests.test_fuzz_forms import FuzzForm

FORMS = [FuzzForm("api_token_create", "agency_admin_a", lambda w: "/agency/api-tokens/", "/api-tokens/new/")]
