"""Request and response models of the downloads function (they also make its OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from functions.downloads.urls import MAX_URL_LENGTH

Quality = Literal["best", "1080p", "720p", "480p", "audio"]
Status = Literal["queued", "downloading", "processing", "completed", "failed", "cancelled"]


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)


class PreviewEntry(BaseModel):
    id: str | None
    title: str | None
    duration: float | None


class PreviewOut(BaseModel):
    title: str | None
    kind: Literal["video", "playlist"]
    entries: list[PreviewEntry]
    count: int
    max_items: int
    too_many: bool


class NewDownload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    quality: Quality = "best"
    collection: str | None = Field(None, max_length=200)

    @field_validator("collection")
    @classmethod
    def _collection(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        if any(not ch.isprintable() for ch in value):
            raise ValueError("the collection name holds characters that cannot be shown")
        return value or None


class Queued(BaseModel):
    id: str
    status: Status


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)
    all: bool = False


class DeleteQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: bool = False


class Progress(BaseModel):
    percent: float
    downloaded_bytes: int
    total_bytes: int | None
    speed: float | None
    eta: float | None
    current_item: str | None
    current_position: int | None
    items_done: int
    items_total: int


class FileOut(BaseModel):
    position: int
    video_id: str | None
    title: str | None
    status: str
    percent: float
    downloaded_bytes: int
    total_bytes: int | None
    name: str | None  # the file's name in the download folder
    path: str | None  # relative to the media root
    plex_rating_key: str | None
    error: str | None


class DownloadSummary(BaseModel):
    id: str
    user_id: str
    username: str
    url: str
    title: str | None
    kind: str | None
    quality: Quality
    status: Status
    progress: Progress
    collection: str | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None


class DownloadOut(DownloadSummary):
    files: list[FileOut]
    folder: str | None  # relative to the media root
    plex_collection_key: str | None
    cancel_requested: bool


class DownloadPage(BaseModel):
    items: list[DownloadSummary]
    total: int


class CancelOut(BaseModel):
    id: str
    status: Status
    cancel_requested: bool


class RunningJob(BaseModel):
    job_id: str
    download_id: str | None
    worker: str | None
    started_at: datetime | None


class WorkerOut(BaseModel):
    name: str
    state: str
    queues: list[str]
    current_job: str | None
    last_heartbeat: datetime | None


class QueueView(BaseModel):
    queue: str
    depth: int
    running: list[RunningJob]
    workers: list[WorkerOut]
    workers_alive: int
    downloads: dict[str, int]
