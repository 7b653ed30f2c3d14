"""Deleting a download's files and its Plex collection (DELETE /{id}?files=1).

Only files the download's own items list are removed, each checked to lie inside the download's folder;
a file another download still lists (the same playlist fetched twice) is kept, and so is a collection
another download filled. Plex is asked to rescan the folder afterwards; a Plex that is down never blocks
the deletion.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from functions.downloads.names import (
    ARCHIVE_NAME,
    MEDIA_EXTENSIONS,
    UnsafePath,
    forget_archived,
    incomplete_folder,
    inside,
    library_root,
)
from functions.downloads.plexsync import locate
from medianest import integrations
from medianest.clients.plex import PlexClient
from medianest.http import UpstreamError
from medianest.store import downloads
from medianest.web import Services

log = logging.getLogger(__name__)


def remove_partials(media_root: Path, download_id: object) -> None:
    shutil.rmtree(incomplete_folder(media_root, download_id), ignore_errors=True)


def remove_files(svc: Services, row: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """Remove the download's files (and folder, once empty) and its collection; says what was done."""
    folder = Path(row["folder"] or "")
    paths = [item["file_path"] for item in items if item["file_path"]]
    with svc.db.connection() as conn:
        keep = downloads.files_elsewhere(conn, row["id"], paths)
        shared_collection = bool(row["plex_collection_key"]) and downloads.collection_shared(
            conn, row["id"], row["plex_collection_key"])
        options = integrations.youtube_options(conn)
        plex = integrations.load(conn, svc.sealer, "plex")
    removed, forgotten = 0, set()
    for item in items:
        if not item["file_path"] or item["file_path"] in keep:
            continue
        try:
            path = inside(Path(item["file_path"]), folder)
        except UnsafePath:
            log.warning("refused to delete a file outside its download folder", extra={"download_id": str(row["id"])})
            continue
        if path.is_file():
            path.unlink()
            removed += 1
        if item["video_id"]:
            forgotten.add(item["video_id"])
    if folder.is_dir():
        forget_archived(folder, forgotten)
        if not any(p.suffix.lstrip(".").lower() in MEDIA_EXTENSIONS for p in folder.iterdir()):
            (folder / ARCHIVE_NAME).unlink(missing_ok=True)
            if not any(folder.iterdir()):
                folder.rmdir()
    plex_outcome = _update_plex(svc, plex, row, folder, library_root(svc.settings.media_root, options.library_folder),
                                delete_collection=bool(row["plex_collection_key"]) and not shared_collection)
    return {"files_removed": removed, "plex": plex_outcome}


def _update_plex(svc: Services, cfg: integrations.ServiceConfig | None, row: dict[str, Any], folder: Path,
                 root: Path, delete_collection: bool) -> str | None:
    if cfg is None or not cfg.configured:
        return None
    client = PlexClient(cfg.url or "", cfg.api_key, **integrations.client_kwargs(svc.settings))
    try:
        if delete_collection:
            client.delete_collection(row["plex_collection_key"])
        found = locate(client.sections(), folder if folder.exists() else folder.parent, root)
        if found is not None:
            client.refresh_section(found[0].key, str(found[1]))
        return "updated"
    except UpstreamError as exc:
        log.warning("plex not updated after a deletion", extra={"download_id": str(row["id"]), "kind": exc.kind})
        return "not_updated"
