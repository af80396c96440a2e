"""The read-only JSON API of published programs and their employers (issue 8).

- auth.py: agency tokens (registry/api_tokens.py) and the per-token rate limit;
- http.py: JSON answers, errors, methods, ETag/Last-Modified;
- representation.py: what a program or an employer looks like in JSON, and its JSON Schema;
- filters.py: the search facets of the program search page, for the API;
- openapi.py: the OpenAPI 3.1 document; views.py, urls.py.

What a token sees is what a counselor of its agency sees (sheets/access.py), published only:
never drafts, clients, self-introductions, referrals or task breakdowns."""
