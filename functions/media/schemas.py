"""Request and response models of the media function (they also make its OpenAPI document)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

RequestStatus = Literal["pending", "approved", "declined", "processing", "partially_available", "available",
                        "failed"]
DiscoverStatus = Literal["available", "partially_available", "processing", "pending", "unknown"]
MAX_RATING_KEY = 10**12


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- library ---------------------------------------------------------------------------------------
class Library(BaseModel):
    id: str
    title: str
    type: str
    count: int


class LibraryItem(BaseModel):
    id: str
    title: str
    year: int | None
    type: str
    thumb_url: str | None = Field(description="our poster proxy; never a Plex URL")
    added_at: datetime | None
    show_title: str | None = Field(None, description="the show of a season or episode")
    library_id: int | None = None


class ItemPage(BaseModel):
    items: list[LibraryItem]
    total: int
    offset: int
    limit: int


class ItemList(BaseModel):
    items: list[LibraryItem]


class Season(BaseModel):
    id: str
    title: str
    index: int | None
    episode_count: int | None
    thumb_url: str | None


class ItemDetail(LibraryItem):
    summary: str
    tagline: str
    rating: float | None
    content_rating: str | None
    studio: str | None
    duration: int | None = Field(description="seconds")
    genres: list[str]
    art_url: str | None
    seasons: list[Season]


class ItemsQuery(_Query):
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=100)
    sort: Literal["title", "-title", "added", "-added", "year", "-year", "rating", "-rating"] = "title"


class RecentQuery(_Query):
    limit: int = Field(20, ge=1, le=50)


class SearchQuery(_Query):
    q: str = Field(min_length=1, max_length=100)
    limit: int = Field(10, ge=1, le=30)


class ThumbQuery(_Query):
    kind: Literal["thumb", "art"] = "thumb"
    w: int | None = Field(None, ge=16, le=1000)
    h: int | None = Field(None, ge=16, le=1000)
    v: int | None = Field(None, ge=0, le=10**12, description="the item's updatedAt, to bust browser caches")


# --- discovery -------------------------------------------------------------------------------------
class DiscoverQuery(_Query):
    q: str = Field(min_length=1, max_length=100)
    page: int = Field(1, ge=1, le=500)


class DiscoverResult(BaseModel):
    tmdb_id: int
    media_type: Literal["movie", "tv"]
    title: str
    year: int | None
    poster_url: str | None = Field(description="TMDB's public image CDN")
    status: DiscoverStatus


class DiscoverPage(BaseModel):
    results: list[DiscoverResult]
    page: int
    total_pages: int
    total_results: int


# --- requests --------------------------------------------------------------------------------------
class NewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    media_type: Literal["movie", "tv"]
    tmdb_id: int = Field(ge=1, le=2**31 - 1)
    seasons: list[int] | None = Field(None, min_length=1, max_length=100,
                                      description="tv only; every season when left out")

    @model_validator(mode="after")
    def _seasons_for_tv(self) -> NewRequest:
        if self.seasons is not None:
            if self.media_type != "tv":
                raise ValueError("seasons are for tv requests only")
            if any(n < 0 or n > 1000 for n in self.seasons):
                raise ValueError("season numbers run from 0 to 1000")
            self.seasons = sorted(set(self.seasons))
        return self


class RequestsQuery(_Query):
    status: RequestStatus | None = None
    mine: bool = False
    user_id: uuid.UUID | None = Field(None, description="admins only: one user's requests")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(20, ge=1, le=100)


class Requester(BaseModel):
    id: uuid.UUID
    username: str


class RequestOut(BaseModel):
    id: uuid.UUID
    title: str
    media_type: Literal["movie", "tv"]
    tmdb_id: int
    year: int | None
    poster_url: str | None
    seasons: list[int]
    status: RequestStatus
    requested_by: Requester
    overseerr_id: int | None
    created_at: datetime
    updated_at: datetime


class HistoryEntry(BaseModel):
    status: str
    source: str
    note: str | None
    created_at: datetime


class RequestDetail(RequestOut):
    history: list[HistoryEntry]


class RequestPage(BaseModel):
    items: list[RequestOut]
    total: int
