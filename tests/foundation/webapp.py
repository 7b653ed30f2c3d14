"""A small function built with make_app, with one route per behaviour the web-layer tests exercise."""

from __future__ import annotations

from typing import Any

from flask import Flask
from pydantic import BaseModel, Field

from medianest.config import Settings
from medianest.errors import ApiError
from medianest.openapi import validate
from medianest.web import current_principal, limiter_of, make_app, public, require_admin, require_user


class Thing(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    count: int = Field(ge=0, le=10)
    api_key: str | None = None


class Page(BaseModel):
    offset: int = Field(0, ge=0)
    limit: int = Field(20, ge=1, le=100)


class ThingOut(BaseModel):
    name: str
    count: int
    owner: str


def build(settings: Settings) -> Flask:
    app = make_app("probe", settings)
    limiter = limiter_of(app)

    @app.get("/open")
    @public
    def open_route() -> Any:
        """Anyone."""
        return {"ok": True}

    @app.get("/mine")
    @require_user
    def mine() -> Any:
        """Signed-in users."""
        principal = current_principal()
        return {"user_id": principal.user_id, "role": principal.role}

    @app.get("/undeclared")
    def undeclared() -> Any:
        """No access declared: must still need a session."""
        return {"ok": True}

    @app.post("/things")
    @require_user
    @validate(body=Thing, response=ThingOut, status=201)
    def create_thing(body: Thing) -> Any:
        """Create a thing."""
        return ThingOut(name=body.name, count=body.count, owner=current_principal().user_id), 201

    @app.get("/things")
    @require_user
    @validate(query=Page)
    def list_things(query: Page) -> Any:
        """List things."""
        return {"offset": query.offset, "limit": query.limit}

    @app.delete("/things/<uuid:thing_id>")
    @require_admin
    def delete_thing(thing_id: Any) -> Any:
        """Admins only."""
        raise ApiError(404, "not_found", "That thing was not found.")

    @app.get("/boom")
    @public
    def boom() -> Any:
        """Fails with a secret in the exception."""
        raise RuntimeError(f"token {app.extensions['medianest'].settings.secret_key} leaked?")

    @app.get("/limited")
    @public
    @limiter.limit("3/minute")
    def limited() -> Any:
        """Three a minute."""
        return {"ok": True}

    return app
