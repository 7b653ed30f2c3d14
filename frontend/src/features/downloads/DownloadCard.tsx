// One download: live progress while it runs (the socket patches the cache), the outcome after,
// and cancel / retry / delete.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, RotateCcw, Trash2 } from "lucide-react";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { ErrorState } from "../../components/ui/ErrorState";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { SkeletonText } from "../../components/ui/Skeleton";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { toast } from "../../components/ui/Toaster";
import { formatBytes, formatDuration, formatRelative } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import type { Download } from "../../lib/types";
import { ACTIVE_DOWNLOAD_STATES, cancelDownload, deleteDownload, downloadQuery, retryDownload } from "./api";

export function progressFacts(d: Download): string[] {
  const p = d.progress;
  if (!p) return [];
  const facts: string[] = [];
  if (p.percent != null && d.status === "downloading") facts.push(`${Math.round(p.percent)}%`);
  if (p.items_total && p.items_total > 1) facts.push(`${p.items_done ?? 0} of ${p.items_total} videos`);
  if (p.total_bytes) facts.push(`${formatBytes(p.downloaded_bytes ?? 0)} of ${formatBytes(p.total_bytes)}`);
  if (p.speed && d.status === "downloading") facts.push(`${formatBytes(p.speed)}/s`);
  if (p.eta && d.status === "downloading") facts.push(`${formatDuration(p.eta)} left`);
  return facts;
}

/** The videos of one download with their own state; fetched when the list is opened. */
function DownloadFiles({ id, count, initiallyOpen }: { id: string; count: number; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const detail = useQuery({ ...downloadQuery(id), enabled: open });
  const files = detail.data?.files ?? [];
  return (
    <details className="disclosure" open={initiallyOpen} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{count > 1 ? `The ${count} videos` : "The file"}</summary>
      {detail.isPending ? (
        <SkeletonText lines={2} />
      ) : detail.isError ? (
        <ErrorState compact error={detail.error} onRetry={() => void detail.refetch()} />
      ) : files.length === 0 ? (
        <p className="card__meta">No files yet.</p>
      ) : (
        <ol className="file-list">
          {files.map((f) => (
            <li key={f.position} className="file-list__item">
              <span className="file-list__name">{f.title || f.name || `Video ${f.position}`}</span>
              <StatusBadge status={f.status} />
              {f.error && <span className="card__error">{f.error}</span>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function barValue(d: Download): number | null {
  if (d.status === "completed") return 100;
  if (d.status === "queued") return 0;
  if (d.status === "downloading") return d.progress?.percent ?? null;
  return null; // processing: merging and moving have no percentage
}

export function DownloadCard({
  download: d,
  showOwner = false,
  standalone = false,
  onDeleted,
}: {
  download: Download;
  showOwner?: boolean;
  /** On its own page: the video list starts open and the title links nowhere. */
  standalone?: boolean;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [withFiles, setWithFiles] = useState(false);
  const title = d.title || d.url;
  const active = ACTIVE_DOWNLOAD_STATES.has(d.status);
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.downloads.all });

  const cancel = useMutation({ mutationFn: () => cancelDownload(d.id), onSuccess: refresh });
  const retry = useMutation({
    mutationFn: () => retryDownload(d.id),
    onSuccess: () => {
      toast({ tone: "success", title: `Queued again: ${title}` });
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteDownload(d.id, withFiles),
    onSuccess: () => {
      setConfirmDelete(false);
      toast({ tone: "success", title: withFiles ? `Deleted ${title} and its files` : `Removed ${title} from the list` });
      refresh();
      onDeleted?.();
    },
  });
  const facts = progressFacts(d);

  return (
    <li className="card download-card" data-testid="download-card" data-status={d.status}>
      <div className="card__row">
        <p className="card__title">
          {standalone ? title : <Link href={`/downloads/${encodeURIComponent(d.id)}`}>{title}</Link>}
        </p>
        <StatusBadge status={d.status} />
      </div>
      {(active || d.status === "completed") && (
        <div data-testid="download-progress">
          <ProgressBar
            label={`${title}: download progress`}
            value={barValue(d)}
            tone={d.status === "completed" ? "success" : "info"}
          />
        </div>
      )}
      {active && d.progress?.current_item && <p className="card__meta">Now: {d.progress.current_item}</p>}
      {facts.length > 0 && <p className="card__meta">{facts.join(" · ")}</p>}
      {d.status === "processing" && <p className="card__meta">Merging, moving into the library and telling Plex…</p>}
      {d.error && (
        <p className="card__error" role={d.status === "failed" ? "alert" : undefined}>
          {d.error}
        </p>
      )}
      <p className="card__meta">
        {showOwner && d.username ? `${d.username} · ` : ""}
        {d.collection ? `Collection “${d.collection}” · ` : ""}
        {d.completed_at ? `finished ${formatRelative(d.completed_at)}` : `added ${formatRelative(d.created_at)}`}
      </p>
      {d.status !== "queued" && <DownloadFiles id={d.id} count={d.progress?.items_total ?? 0} initiallyOpen={standalone} />}
      <div className="card__actions">
        {active && (
          <Button size="sm" icon={<Ban size={14} aria-hidden="true" />} busy={cancel.isPending} onClick={() => cancel.mutate()}
            aria-label={`Cancel ${title}`} data-testid="download-cancel">
            Cancel
          </Button>
        )}
        {(d.status === "failed" || d.status === "cancelled") && (
          <Button size="sm" icon={<RotateCcw size={14} aria-hidden="true" />} busy={retry.isPending} onClick={() => retry.mutate()}
            aria-label={`Retry ${title}`} data-testid="download-retry">
            Retry
          </Button>
        )}
        {!active && (
          <Button size="sm" variant="ghost" icon={<Trash2 size={14} aria-hidden="true" />} onClick={() => setConfirmDelete(true)}
            aria-label={`Delete ${title}`} data-testid="download-delete">
            Delete
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${title}?`}
        description="The entry leaves your download list."
        confirmLabel="Delete"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmDelete(false)}
      >
        <label className="check">
          <input type="checkbox" checked={withFiles} onChange={(e) => setWithFiles(e.target.checked)} />
          <span>Also delete the downloaded files{d.collection ? " and the Plex collection" : ""}</span>
        </label>
      </ConfirmDialog>
    </li>
  );
}
