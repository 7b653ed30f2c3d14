"""Checks an outbound Overseerr call against `overseerr-api.yml` the way Overseerr's request validator does:
the path must be a documented operation, path and query parameters must match their schemas, the body
must match the request body schema, and `query` must be percent-encoded without reserved characters."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml
from openapi_schema_validator import OAS30Validator

SPEC_FILE = Path(__file__).parent / "fixtures" / "overseerr-api.yml"
BASE = "/api/v1"
RAW_RESERVED = re.compile(r"[!#$&'()*+,/:;=?@\[\] ]")


@functools.cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline `$ref`s to components (the bodies we check reference few)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(spec()["components"]["schemas"][name])
    return schema


def _operation(path: str, method: str) -> tuple[dict[str, Any], dict[str, str]]:
    for template, item in spec()["paths"].items():
        pattern = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        match = re.match(pattern, path)
        if match and method.lower() in item:
            return item[method.lower()], match.groupdict()
    raise AssertionError(f"{method} {path} is not an operation of overseerr-api.yml")


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") in ("number", "integer"):
        return float(value) if "." in value else int(value)
    if schema.get("type") == "boolean":
        return value == "true"
    return value


def check_call(method: str, url: str, body: bytes | str | None = None) -> None:
    """Raise AssertionError when Overseerr's validator would refuse this call."""
    parts = urlsplit(url)
    assert parts.path.startswith(BASE), parts.path
    operation, path_params = _operation(parts.path[len(BASE):], method)
    raw_query = parts.query
    if "query=" in raw_query:
        encoded = raw_query.split("query=", 1)[1].split("&", 1)[0]
        assert not RAW_RESERVED.search(encoded), f"query is not percent-encoded: {encoded!r}"
    query = dict(parse_qsl(raw_query, keep_blank_values=True))
    for param in operation.get("parameters", []):
        param = _resolve(param)
        source = path_params if param["in"] == "path" else query if param["in"] == "query" else None
        if source is None:
            continue
        if param["name"] not in source:
            assert not param.get("required"), f"missing required {param['in']} parameter {param['name']}"
            continue
        schema = _resolve(param.get("schema", {}))
        OAS30Validator(schema).validate(_coerce(unquote(source[param["name"]]), schema))
    request_body = operation.get("requestBody")
    if request_body is not None and request_body.get("required"):
        assert body, f"{method} {parts.path} needs a body"
    if body:
        schema = _resolve(request_body["content"]["application/json"]["schema"])
        OAS30Validator(schema).validate(json.loads(body))
