"""Request checks Overseerr makes before any route code runs (express-openapi-validator over its spec).

Overseerr mounts the validator with ``validateRequests: true`` and default options, so:

* a path under ``/api/v1`` that the spec lacks is 404 ``not found``; a known path with another method 405;
* security is checked for presence only: without the ``connect.sid`` cookie and without an ``X-Api-Key``
  header the answer is 401 ``cookie 'connect.sid' required`` (a *wrong* key passes here and gets 403 later);
* a query value with raw reserved characters (``+`` for a space included) is 400 ``Parameter 'query' must
  be url encoded...``; unknown query parameters are 400; parameters are coerced to their schema types;
* JSON bodies are validated against the schema (no type coercion), other content types are 415.

Errors are ``{"message": ..., "errors": [{"path": ..., "message": ..., "errorCode": ...}]}`` as Overseerr's
error handler renders them. The spec is read from ``fakes/data/overseerr-api.yml`` (a verbatim copy).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "overseerr-api.yml"
BASE = "/api/v1"
RESERVED = re.compile(r"[:/?#\[\]@!$&'()*+,;=]")
SPEC_URI = "urn:overseerr-api"


class Invalid(Exception):
    """A request the validator rejects."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors

    def body(self) -> dict[str, Any]:
        """The JSON Overseerr's error handler sends."""
        out: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            out["errors"] = self.errors
        return out


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` as JSON Schema (``null`` allowed), applied recursively."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable(v) for k, v in node.items()}
    if out.pop("nullable", False):
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The spec with nullable converted (read once per process)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open(encoding="utf-8") as fh:
        return _nullable(yaml.load(fh, Loader=loader))  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry().with_resource(SPEC_URI, Resource.from_contents(load(), default_specification=DRAFT7))


def _validator(schema: dict[str, Any]) -> Draft7Validator:
    return Draft7Validator(schema, registry=_registry())


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Turn local ``#/...`` refs into refs into the registered spec document."""
    text = json.dumps(node).replace('"$ref": "#/', f'"$ref": "{SPEC_URI}#/')
    return json.loads(text)


@dataclass
class Operation:
    """One method of one spec path."""

    template: str
    method: str
    spec: dict[str, Any]
    security: list[dict[str, Any]]

    @property
    def parameters(self) -> list[dict[str, Any]]:
        """Declared parameters (path-level ones are merged in when matching)."""
        return self.spec.get("parameters", [])


@lru_cache(maxsize=1)
def _routes() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    routes = []
    for template, item in load()["paths"].items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", r"([^/]+)", re.escape(template))
        routes.append((re.compile(f"^{pattern}/?$"), template, item))
    # Static segments win over parameters (``/request/count`` before ``/request/{requestId}``).
    routes.sort(key=lambda r: (r[1].count("{"), -len(r[1])))
    return routes


def match(path: str, method: str) -> tuple[Operation, dict[str, str]]:
    """The operation for a path below ``/api/v1`` and its raw path parameters (404/405 otherwise)."""
    sub = path[len(BASE):] if path.startswith(BASE) else path
    for pattern, template, item in _routes():
        m = pattern.match(sub)
        if not m:
            continue
        op = item.get(method.lower())
        if op is None:
            raise Invalid(405, f"{method.upper()} method not allowed",
                          [{"path": path, "message": f"{method.upper()} method not allowed"}])
        names = re.findall(r"\{([^}]+)\}", template)
        merged = dict(op)
        merged["parameters"] = [*item.get("parameters", []), *op.get("parameters", [])]
        security = op.get("security", load().get("security", []))
        return Operation(template, method.upper(), merged, security), dict(zip(names, m.groups(), strict=True))
    raise Invalid(404, "not found", [{"path": path, "message": "not found"}])


def check_security(op: Operation, has_cookie: bool, has_api_key: bool) -> None:
    """Presence check of the spec's security schemes (OR), as the validator does."""
    if not op.security or any(not s for s in op.security):
        return
    present = {"cookieAuth": has_cookie, "apiKey": has_api_key}
    if any(present.get(name, False) for s in op.security for name in s):
        return
    first = next(iter(op.security[0]))
    message = "cookie 'connect.sid' required" if first == "cookieAuth" else "'X-Api-Key' header required"
    route = BASE + re.sub(r"\{([^}]+)\}", r":\1", op.template)
    raise Invalid(401, message, [{"path": route, "message": message}])


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if raw == "" and "null" in kinds:
        return None
    if "number" in kinds or "integer" in kinds:
        try:
            value = float(raw)
        except ValueError:
            return raw
        return int(value) if value.is_integer() else value
    if "boolean" in kinds and raw in ("true", "false"):
        return raw == "true"
    return raw


def _ajv_message(err: Any) -> tuple[str, str]:
    """(path suffix, message) in the wording of Overseerr's validator (ajv 8)."""
    if err.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", err.message)
        name = missing.group(1) if missing else "?"
        return f".{name}", f"must have required property '{name}'"
    if err.validator == "type":
        expected = err.validator_value
        expected = ",".join(expected) if isinstance(expected, list) else expected
        return "", f"must be {expected}"
    if err.validator == "enum":
        return "", "must be equal to one of the allowed values: " + ", ".join(map(str, err.validator_value))
    if err.validator in ("oneOf", "anyOf"):
        return "", f"must match {'exactly one schema' if err.validator == 'oneOf' else 'a schema'} in {err.validator}"
    if err.validator in ("minimum", "maximum"):
        return "", f"must be {'>=' if err.validator == 'minimum' else '<='} {err.validator_value}"
    return "", err.message


def _schema_errors(where: str, value: Any, schema: dict[str, Any]) -> list[dict[str, Any]]:
    errors = []
    for err in sorted(_validator(_resolve(schema)).iter_errors(value), key=lambda e: list(e.absolute_path)):
        suffix, message = _ajv_message(err)
        path = "." + where + "".join(f".{p}" for p in err.absolute_path) + suffix
        errors.append({"path": path, "message": message, "errorCode": f"{err.validator}.openapi.validation"})
    return errors


def _raise(errors: list[dict[str, Any]]) -> None:
    if errors:
        text = ", ".join(f"request{e['path'].replace('.', '/')} {e['message']}" for e in errors)
        raise Invalid(400, text, errors)


def validate(op: Operation, path_params: dict[str, str], raw_query: str, content_type: str,
             body: bytes) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Checked and coerced (path params, query params, JSON body)."""
    declared = {(p["in"], p["name"]): p for p in op.parameters}
    pairs = [[*p.split("=", 1), ""] for p in raw_query.split("&") if p] if raw_query else []
    query_names = {name for (where, name) in declared if where == "query"}
    query: dict[str, Any] = {}
    for pair in pairs:
        name, value = unquote(pair[0]), pair[1]
        param = declared.get(("query", name))
        if param is None:
            raise Invalid(400, f"Unknown query parameter '{name}'",
                          [{"path": f".query.{name}", "message": f"Unknown query parameter '{name}'"}])
        if not param.get("allowReserved") and RESERVED.search(value):
            msg = f"Parameter '{name}' must be url encoded. Its value may not contain reserved characters."
            raise Invalid(400, msg, [{"path": f".query.{name}", "message": msg}])
        query[name] = _coerce(unquote(value), param.get("schema", {}))
    errors: list[dict[str, Any]] = []
    for name in query_names:
        param = declared[("query", name)]
        if name not in query:
            if param.get("required"):
                errors.append({"path": f".query.{name}", "message": f"must have required property '{name}'",
                               "errorCode": "required.openapi.validation"})
            continue
        errors += _schema_errors(f"query.{name}", query[name], param.get("schema", {}))
    params = {}
    for name, raw in path_params.items():
        schema = declared.get(("path", name), {}).get("schema", {})
        params[name] = _coerce(unquote(raw), schema)
        errors += _schema_errors(f"params.{name}", params[name], schema)
    _raise(errors)
    return params, query, _body(op, content_type, body)


def _body(op: Operation, content_type: str, raw: bytes) -> Any:
    spec = op.spec.get("requestBody")
    if spec is None:
        return None
    media = content_type.split(";")[0].strip().lower()
    if raw and media not in spec.get("content", {}):
        message = f"unsupported media type {media}"
        raise Invalid(415, message, [{"path": ".body", "message": message}])
    try:
        body = json.loads(raw) if raw else {}  # body-parser leaves {} when nothing was sent
    except ValueError as exc:
        raise Invalid(400, f"Unexpected token in JSON: {exc.msg}") from None
    schema = spec.get("content", {}).get("application/json", {}).get("schema", {})
    _raise(_schema_errors("body", body, schema))
    return body
