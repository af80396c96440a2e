"""The HSDS API's OpenAPI document as served at /api/hsds/openapi.json: Open Referral's official
description (`hsds_spec/openapi.json`), made to work on its own for the tools that read it
(schemathesis, validators, client generators) on a network without internet:

- `servers` says where the operations are (/api/hsds): without it a tool calls /services on
  the site's root, the web pages;
- the record schemas the official file links to on the specification's site are put in its
  components (the same files, unchanged: `hsds_spec/schema/`, see SOURCE.md there);
- `/service_at_locations/{id}` answers a service_at_location (as HSDS 3.0 says of this
  operation's data), where the official file names the service schema — a slip of the
  specification that made every real answer "invalid";
- the error answers are documented (400 for a parameter that cannot be read, 401 without a
  valid token, 404 for a record the token's agency may not see, 429 over the rate limit), each
  with its JSON body.

Nothing else is changed: the paths, parameters and 200 answers are the official ones (a test
compares them)."""

import functools
import json

from sheets.interop import hsds

REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SCHEMA_DIR = hsds.SPEC_DIR / "schema"
COMPILED = ("service", "organization", "service_list", "organization_list", "service_at_location_list")
FROM_DEFINITIONS = ("taxonomy", "taxonomy_term")
SERVER = "/api/hsds"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "A code: invalid_parameters, unauthorized, not_found, …"},
        "detail": {"type": "string", "description": "What went wrong, in Japanese."},
    },
}
ERRORS = {
    "400": "A query parameter cannot be read (the detail says how to write it).",
    "401": "No token, or a token that is unknown, revoked or expired.",
    "404": "No record with this id that the token's agency may see.",
    "429": "Too many requests for this token: wait for the time in Retry-After.",
}


def _local(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@functools.cache
def _document_text() -> str:
    document = json.loads((hsds.SPEC_DIR / "openapi.json").read_text(encoding="utf-8"))
    document["servers"] = [{"url": SERVER}]
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in COMPILED:
        schemas[f"hsds_{name}"] = _local(f"{name}.json")
    definitions = json.dumps(_local("service_with_definitions.json")["definitions"])
    for name, definition in json.loads(
        definitions.replace('"#/definitions/', '"#/components/schemas/hsds_def_')
    ).items():
        schemas[f"hsds_def_{name}"] = definition
    schemas["hsds_error"] = ERROR_SCHEMA
    _correct_service_at_location(document)
    _document_errors(document)
    text = json.dumps(document, ensure_ascii=False)
    for name in COMPILED:
        text = text.replace(f'"{REMOTE}compiled/{name}.json"', f'"#/components/schemas/hsds_{name}"')
    for name in FROM_DEFINITIONS:
        text = text.replace(f'"{REMOTE}{name}.json"', f'"#/components/schemas/hsds_def_{name}"')
    if REMOTE in text:  # a link left over would send an offline tool to the internet
        raise ValueError("the HSDS OpenAPI document still links to the specification's site")
    return text


def served_document() -> dict:
    """A fresh copy of the document (callers may change theirs)."""
    return json.loads(_document_text())


def _correct_service_at_location(document: dict) -> None:
    answer = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    answer["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/hsds_def_service_at_location"}


def _document_errors(document: dict) -> None:
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        codes = ["401", "429"] if path == "/" else ["401", "429", "404" if "{id}" in path else "400"]
        for code in codes:
            operation["responses"].setdefault(
                code,
                {
                    "description": ERRORS[code],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/hsds_error"}}},
                },
            )
