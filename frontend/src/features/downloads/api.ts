import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys, type DownloadListParams } from "../../lib/queryKeys";
import { pageOf, type Download, type DownloadState, type Page } from "../../lib/types";

export const ACTIVE_DOWNLOAD_STATES: ReadonlySet<DownloadState> = new Set(["queued", "downloading", "processing"]);

export type Quality = "best" | "1080p" | "720p" | "480p" | "audio";

export interface DownloadPreview {
  title: string | null;
  kind: "video" | "playlist";
  entries: { id: string | null; title: string | null; duration: number | null }[];
  count: number;
  /** The most videos one download may hold; `too_many` says this playlist has more. */
  max_items?: number;
  too_many?: boolean;
}

export interface QueueView {
  queue: string;
  depth: number;
  running: { job_id: string; download_id: string | null; worker: string | null; started_at: string | null }[];
  workers: { name: string; state: string; queues: string[]; current_job: string | null; last_heartbeat: string | null }[];
  workers_alive: number;
  /** How many downloads are in each state. */
  downloads: Record<string, number>;
}

export const downloadsQuery = (params: DownloadListParams) =>
  queryOptions({
    queryKey: queryKeys.downloads.list(params),
    queryFn: async ({ signal }) =>
      pageOf(
        await api.get<Page<Download> | Download[]>("/downloads/", {
          signal,
          query: { status: params.status, all: params.all ? 1 : undefined, offset: params.offset, limit: params.limit },
        }),
      ),
  });

export const downloadQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.downloads.detail(id),
    queryFn: ({ signal }) => api.get<Download>(`/downloads/${encodeURIComponent(id)}`, { signal }),
  });

export const queueQuery = () =>
  queryOptions({
    queryKey: queryKeys.downloads.queue(),
    queryFn: ({ signal }) => api.get<QueueView>("/downloads/queue", { signal }),
    // No event announces queue changes; a short interval while the tab shows it is enough.
    refetchInterval: 10_000,
  });

export function previewDownload(url: string, signal?: AbortSignal): Promise<DownloadPreview> {
  return api.post<DownloadPreview>("/downloads/preview", { url }, { signal });
}

export function submitDownload(body: { url: string; quality: Quality; collection?: string }): Promise<{ id: string; status: DownloadState }> {
  return api.post("/downloads/", body);
}

const path = (id: string) => `/downloads/${encodeURIComponent(id)}`;

export function cancelDownload(id: string): Promise<unknown> {
  return api.post(`${path(id)}/cancel`);
}

export function retryDownload(id: string): Promise<unknown> {
  return api.post(`${path(id)}/retry`);
}

export function deleteDownload(id: string, withFiles: boolean): Promise<unknown> {
  return api.delete(path(id), { query: { files: withFiles ? 1 : undefined } });
}
