"""Check an API answer against the published OpenAPI document, in tests (issue 15, ADR 0140).

    from congso.core.api_testing import assert_matches_schema

    response = client.get("/api/v1/procedure-fields")
    assert_matches_schema(response)

The document is read the way a client reads it, from ``/api/v1/openapi.json`` (so this needs nothing
above core); the operation is found from the request's method and path; its answer's status must be
documented, and a JSON body must validate against the schema documented for that status.
"""

from __future__ import annotations

import functools
import json
import re

from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_URL = "/api/v1/openapi.json"


class SchemaMismatch(AssertionError):
    pass


@functools.cache
def _document() -> dict:
    return Client().get(SCHEMA_URL).json()


@functools.cache
def _routes() -> list[tuple[re.Pattern, str, str]]:
    """(pattern, template, method) for every operation, literal paths before templated ones."""
    routes = []
    for template, methods in _document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "/?$")
        for method in methods:
            routes.append((pattern, template, method.upper()))
    return sorted(routes, key=lambda r: (r[1].count("{"), -len(r[1])))


def operation_for(method: str, path: str) -> tuple[str, dict]:
    """The path template and operation a request reached."""
    for pattern, template, op_method in _routes():
        if op_method == method.upper() and pattern.match(path):
            return template, _document()["paths"][template][method.lower()]
    raise SchemaMismatch(f"{method} {path}: no such operation in {SCHEMA_URL}")


def assert_matches_schema(response) -> dict | None:
    """Fail unless ``response`` (a Django test client answer) has a documented status and a body that
    validates against that status's schema; return the parsed JSON body (None when not JSON)."""
    request = response.wsgi_request
    template, operation = operation_for(request.method, request.path)
    where = f"{request.method} {request.path} ({template}) → {response.status_code}"
    documented = operation["responses"].get(str(response.status_code)) or operation["responses"].get(
        "default"
    )
    if documented is None:
        raise SchemaMismatch(
            f"{where}: status not documented (documented: {', '.join(operation['responses'])})"
        )
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    body = json.loads(response.content)
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return body
    validator = Draft202012Validator(
        {**schema, "components": _document()["components"]}, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]]
        raise SchemaMismatch(f"{where}: the answer does not match the published schema\n" + "\n".join(lines))
    return body
