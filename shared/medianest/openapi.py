"""Request validation with pydantic models, and the OpenAPI document built from the same models.

    @bp.post("/requests")
    @validate(body=NewRequest, response=RequestOut, status=201)
    def create(body: NewRequest): ...

The decorator parses the query string and JSON body into the models (422 with field-level reasons on
failure, 400 for a body that is not JSON) and records them on the view, where `build_spec` finds them.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from pydantic import BaseModel, TypeAdapter

from medianest.errors import HTTP_CODES, ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def _list_fields(model: type[BaseModel]) -> set[str]:
    fields = set()
    for name, info in model.model_fields.items():
        origin = typing.get_origin(info.annotation)
        args = typing.get_args(info.annotation)
        if origin in (list, set, tuple) or any(typing.get_origin(a) in (list, set, tuple) for a in args):
            fields.add(info.alias or name)
    return fields


def parse_query(model: type[BaseModel]) -> BaseModel:
    lists = _list_fields(model)
    raw = {key: (request.args.getlist(key) if key in lists else request.args.get(key)) for key in request.args}
    return model.model_validate(raw)


def parse_body(model: type[BaseModel]) -> BaseModel:
    if not request.get_data(cache=True):
        data: Any = {}
    else:
        if not request.is_json:
            raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
        data = request.get_json(silent=True)
        if data is None:
            raise ApiError(400, "invalid_json", "The request body is not valid JSON.")
    return model.model_validate(data)


def validate(
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    summary: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Validate input into `body=` / `query=` keyword arguments and document the route."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(*args, **kwargs)

        wrapper._mn_openapi = {  # type: ignore[attr-defined]
            "body": body, "query": query, "response": response, "status": status,
            "summary": summary,
        }
        return wrapper

    return decorator


_CONVERTER_SCHEMAS = {"int": {"type": "integer"}, "uuid": {"type": "string", "format": "uuid"},
                      "float": {"type": "number"}}
_RULE_ARG = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


class _Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        js = TypeAdapter(tp).json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        self.schemas.update(js.pop("$defs", {}))
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            self.schemas[tp.__name__] = js
            return {"$ref": f"#/components/schemas/{tp.__name__}"}
        return js

    def input_schema(self, model: type[BaseModel]) -> dict[str, Any]:
        js = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
        self.schemas.update(js.pop("$defs", {}))
        return js


def _error(status: int) -> dict[str, Any]:
    return {"description": HTTP_CODES.get(status, ("error", "Error"))[1],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}


def _operation(components: _Components, view: Any, method: str, path_params: list[dict[str, Any]],
               operation_id: str) -> dict:
    meta = getattr(view, "_mn_openapi", {})
    access = getattr(view, "_mn_access", "user")
    op: dict[str, Any] = {"operationId": operation_id, "x-access": access}
    if meta.get("summary") or view.__doc__:
        op["summary"] = meta.get("summary") or (view.__doc__ or "").strip().splitlines()[0]
    params = list(path_params)
    if meta.get("query"):
        qs = components.input_schema(meta["query"])
        required = set(qs.get("required", []))
        for name, prop in qs.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    if params:
        op["parameters"] = params
    if meta.get("body"):
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": components.input_schema(meta["body"])}}}
    status = meta.get("status", 200)
    ok: dict[str, Any] = {"description": "OK"}
    if meta.get("response") is not None:
        ok["content"] = {"application/json": {"schema": components.schema(meta["response"])}}
    responses: dict[str, Any] = {str(status): ok}
    errors = {429, 500, 503}
    if access in ("user", "admin"):
        errors |= {401, 403}
    if meta.get("body") or meta.get("query"):
        errors |= {400, 422}
    if path_params:
        errors.add(404)
    for code in sorted(errors):
        responses[str(code)] = _error(code)
    # any other error a view raises (404, 409, 410, 507...) still has the one JSON error shape
    responses["default"] = {"description": "An error, in MediaNest's JSON error shape.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    op["responses"] = responses
    if access in ("user", "admin"):
        op["security"] = [{"session": []}]
    return op


def build_spec(app: Flask, title: str, version: str = "1.0.0") -> dict[str, Any]:
    """OpenAPI 3.1 for every route of `app`, paths relative to the function's root."""
    components = _Components()
    components.schema(ErrorResponse)
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        path_params = []
        for match in _RULE_ARG.finditer(rule.rule):
            schema = _CONVERTER_SCHEMAS.get(match.group("conv") or "", {"type": "string"})
            path_params.append({"name": match.group("name"), "in": "path", "required": True, "schema": schema})
        path = _RULE_ARG.sub(lambda m: "{" + m.group("name") + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation_id = re.sub(r"\W+", "_", f"{method.lower()}_{path}").strip("_") or method.lower()
            paths.setdefault(path, {})[method.lower()] = _operation(components, view, method, path_params,
                                                                    operation_id)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components.schemas,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "mn_access"}},
        },
    }
