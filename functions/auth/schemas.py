"""Request and response models of the auth function (they also make its openapi.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

Role = Literal["admin", "user"]
Status = Literal["active", "disabled"]


class SetupOut(BaseModel):
    needs_setup: bool
    admin_exists: bool
    plex_linked: bool


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: UUID
    username: str
    email: str | None
    role: Role
    status: Status
    thumb_url: str | None
    is_local: bool
    plex_id: int | None
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> UserOut:
        """Build from a `users` store row (never a token column)."""
        return cls(id=row["id"], username=row["username"], email=row["email"], role=row["role"],
                   status=row["status"], thumb_url=row["thumb"], is_local=row["is_local"],
                   plex_id=row["plex_id"], created_at=row["created_at"], last_login_at=row["last_login_at"])


class UserEnvelope(BaseModel):
    user: UserOut


class PinOut(BaseModel):
    pin_id: int
    code: str
    auth_url: str
    expires_at: datetime


class PinStatusOut(BaseModel):
    status: Literal["waiting", "authorized"]
    user: UserOut | None = None


class SessionOut(BaseModel):
    id: str
    device: str
    ip: str
    created_at: datetime
    last_seen: datetime
    current: bool

    @classmethod
    def from_entry(cls, entry: dict[str, Any], current_sid: str) -> SessionOut:
        """Build from a `SessionManager.list_for_user` entry (epoch seconds)."""
        return cls(id=entry["id"], device=entry["device"], ip=entry["ip"],
                   created_at=datetime.fromtimestamp(entry["created_at"], UTC),
                   last_seen=datetime.fromtimestamp(entry["last_seen"], UTC), current=entry["id"] == current_sid)


class SessionList(BaseModel):
    items: list[SessionOut]


class AdminUserOut(UserOut):
    request_count: int
    download_count: int


class UserList(BaseModel):
    items: list[AdminUserOut]
    total: int


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    status: Status | None = None


class ImportOut(BaseModel):
    imported: int
    created: int
    items: list[UserOut]


class NotificationOut(BaseModel):
    id: UUID
    type: str
    title: str
    body: str
    link: str | None
    read: bool
    created_at: datetime


class NotificationList(BaseModel):
    items: list[NotificationOut]
    unread: int


class NotificationQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unread: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)

    @field_validator("unread", mode="before")
    @classmethod
    def _bare_flag(cls, value: Any) -> Any:
        """`?unread` with no value means true."""
        return True if value == "" else value


class MarkReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[UUID] | None = Field(None, max_length=500)


class MarkReadOut(BaseModel):
    updated: int
    unread: int


class AuditQuery(BaseModel):
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=100)


class AuditEntry(BaseModel):
    id: int
    actor: str | None
    action: str
    target_type: str | None
    target_id: str | None
    details: dict[str, Any]
    ip: str | None
    created_at: datetime


class AuditList(BaseModel):
    items: list[AuditEntry]
    total: int
