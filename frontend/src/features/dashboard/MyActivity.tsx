// The dashboard's two small lists: my active downloads and my latest requests. The full pages
// (filters, actions, history) live in their own features.

import { useQuery } from "@tanstack/react-query";
import { Download, Inbox } from "lucide-react";
import { Link } from "wouter";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { SkeletonText } from "../../components/ui/Skeleton";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { formatBytes, formatDuration, formatRelative } from "../../lib/format";
import type { Download as DownloadItem } from "../../lib/types";
import { ACTIVE_DOWNLOAD_STATES, downloadsQuery } from "../downloads/api";
import { requestsQuery } from "../requests/api";

function ListSkeleton() {
  return (
    <div className="mini-list" aria-busy="true" aria-label="Loading">
      <SkeletonText lines={3} />
    </div>
  );
}

function progressText(d: DownloadItem): string {
  const p = d.progress;
  if (!p) return "";
  const parts: string[] = [];
  if (p.items_total && p.items_total > 1) parts.push(`${p.items_done ?? 0} of ${p.items_total} items`);
  if (p.speed) parts.push(`${formatBytes(p.speed)}/s`);
  if (p.eta) parts.push(`${formatDuration(p.eta)} left`);
  return parts.join(" · ");
}

export function MyDownloads() {
  // Recent downloads, filtered here to the running ones: active jobs are always among the newest.
  const downloads = useQuery(downloadsQuery({ limit: 20 }));
  if (downloads.isPending) return <ListSkeleton />;
  if (downloads.isError) {
    return <ErrorState compact error={downloads.error} onRetry={() => void downloads.refetch()} />;
  }
  const active = downloads.data.items.filter((d) => ACTIVE_DOWNLOAD_STATES.has(d.status)).slice(0, 5);
  if (active.length === 0) {
    return (
      <EmptyState icon={<Download size={24} />} title="No downloads running." action={<Link href="/downloads">Start a download</Link>} />
    );
  }
  return (
    <ul className="mini-list">
      {active.map((d) => {
        const title = d.title || d.url;
        return (
          <li key={d.id} className="mini-list__item">
            <div className="mini-list__row">
              <span className="mini-list__title">{title}</span>
              <StatusBadge status={d.status} />
            </div>
            <ProgressBar
              label={`${title}: download progress`}
              value={d.status === "downloading" ? (d.progress?.percent ?? null) : d.status === "queued" ? 0 : null}
            />
            {d.progress?.current_item && <p className="mini-list__meta">{d.progress.current_item}</p>}
            <p className="mini-list__meta">{progressText(d)}</p>
          </li>
        );
      })}
    </ul>
  );
}

export function MyRequests() {
  const requests = useQuery(requestsQuery({ mine: true, limit: 5 }));
  if (requests.isPending) return <ListSkeleton />;
  if (requests.isError) {
    return <ErrorState compact error={requests.error} onRetry={() => void requests.refetch()} />;
  }
  if (requests.data.items.length === 0) {
    return (
      <EmptyState icon={<Inbox size={24} />} title="You haven't requested anything yet." action={<Link href="/discover">Find something to request</Link>} />
    );
  }
  return (
    <ul className="mini-list">
      {requests.data.items.map((r) => (
        <li key={r.id} className="mini-list__item">
          <div className="mini-list__row">
            <span className="mini-list__title">{r.title}</span>
            <StatusBadge status={r.status} />
          </div>
          <p className="mini-list__meta">
            {r.media_type === "tv" ? "Series" : "Film"} · updated {formatRelative(r.updated_at || r.created_at)}
          </p>
        </li>
      ))}
    </ul>
  );
}
