"""The APIs' answers checked against the OpenAPI documents they serve (ADR 0022).

`assert_matches_schema(method, path, response)` finds the documented operation, fails when the
status is not documented for it, and validates a JSON body against the documented schema
(JSON Schema 2020-12, formats checked). The root conftest applies it to every answer of the
test client under /api/v1/, so every API test checks the schema without asking for it.
`property_run` is the property-based run over one document (hypothesis + hypothesis-jsonschema).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import quote

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from chengxin.core.api import _inlined

DOCUMENTS = ("screening_api:openapi-json", "public_api:openapi-json", "records_api:openapi-json")


@cache
def served_documents() -> tuple[dict[str, Any], ...]:
    """The documents as the APIs serve them (read once per test process)."""
    return tuple(Client().get(reverse(name)).json() for name in DOCUMENTS)


def operation_for(method: str, path: str) -> tuple[dict[str, Any], str, dict[str, Any]] | None:
    """(document, path template, operation) documenting `method path`, or None."""
    for document in served_documents():
        for template, operations in document["paths"].items():
            parts = re.split(r"\{[^}]+\}", template)
            pattern = "^" + "[^/]+".join(re.escape(part) for part in parts) + "$"
            if re.match(pattern, path) and method.lower() in operations:
                return document, template, operations[method.lower()]
    return None


def assert_matches_schema(method: str, path: str, response: Any) -> None:
    """The answer's status is documented for the operation and its JSON body matches."""
    found = operation_for(method, path)
    if found is None or path.endswith("openapi.json"):
        return
    document, template, operation = found
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {template}: {status} is not documented"
    content = operation["responses"][status].get("content", {}).get("application/json")
    if method.upper() == "HEAD" or content is None:
        return
    pointer = "/".join(
        part.replace("~", "~0").replace("/", "~1")
        for part in ("paths", template, method.lower(), "responses", status, "content")
    )
    schema = {**document, "$ref": f"#/{pointer}/application~1json/schema"}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
    ]
    assert not errors, f"{method} {path} → {status} does not match the schema: {errors[:3]}"


def validating_client_request(original: Callable[..., Any]) -> Callable[..., Any]:
    """`Client.request` that checks each /api/v1/ answer against the served documents."""

    def request(self: Client, **environ: Any) -> Any:
        response = original(self, **environ)
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/v1/") and not path.endswith("openapi.json"):
            assert_matches_schema(environ.get("REQUEST_METHOD", "GET"), path, response)
        return response

    return request


# --- the property-based run ------------------------------------------------------------------


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for template, methods in document["paths"].items():
        for method, operation in methods.items():
            if method in ("get", "post"):
                yield template, method, operation


def property_run(
    client: Client,
    document_name: str,
    *,
    headers: dict[str, str] | None = None,
    examples: Callable[[str, str], int],
    path_values: dict[str, st.SearchStrategy[Any]] | None = None,
) -> list[str]:
    """Every GET and POST operation of the served document called with requests generated from
    its own schema: `examples(method, template)` of them, derandomized (the same requests on
    every run). Returns what went wrong: a 5xx, an undocumented status, a body off its schema."""
    document = client.get(reverse(document_name)).json()
    inlined = _inlined(document, document.get("components", {}).get("schemas", {}))
    problems: list[str] = []
    for template, method, operation in operations(inlined):
        strategy = _requests(template, operation, path_values or {})
        send = _sender(client, method, headers or {}, problems)
        run = settings(
            max_examples=examples(method, template),
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(send))
        run()
    return problems


def _sender(
    client: Client, method: str, headers: dict[str, str], problems: list[str]
) -> Callable[[tuple[str, dict[str, Any], Any]], None]:
    extra: dict[str, Any] = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}

    def send(request: tuple[str, dict[str, Any], Any]) -> None:
        path, query, body = request
        try:
            if method == "get":
                response = client.get(path, query, **extra)
            else:
                data = json.dumps(body, ensure_ascii=False)
                response = client.post(path, data, content_type="application/json", **extra)
        except Exception as exc:  # the test client raises what would be a 500
            problems.append(f"{method.upper()} {path} {query} {body!r}: {exc!r}")
            return
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {path} {query} {body!r}: {response.status_code}")
            return
        try:
            assert_matches_schema(method, path, response)
        except AssertionError as exc:
            problems.append(f"{method.upper()} {path} {query} {body!r}: {exc}")

    return send


def _requests(
    template: str, operation: dict[str, Any], path_values: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[tuple[str, dict[str, Any], Any]]:
    path_params: dict[str, st.SearchStrategy[Any]] = {}
    query: dict[str, st.SearchStrategy[Any]] = {}
    required: set[str] = set()
    for parameter in operation.get("parameters", []):
        name, schema = parameter["name"], parameter.get("schema", {})
        if parameter["in"] == "path":
            path_params[name] = path_values[name] if name in path_values else from_schema(schema)
        elif parameter["in"] == "query":
            query[name] = from_schema(schema)
            if parameter.get("required"):
                required.add(name)
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = from_schema(content["schema"]) if content else st.none()

    @st.composite
    def request(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any]:
        path = template
        for name, values in path_params.items():
            path = path.replace("{" + name + "}", quote(str(draw(values)), safe=""))
        params = {
            name: draw(values)
            for name, values in query.items()
            if name in required or draw(st.booleans())
        }
        return path, {k: v for k, v in params.items() if v is not None}, draw(body)

    return request()
