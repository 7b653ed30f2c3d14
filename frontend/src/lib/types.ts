// Shapes of the API resources (see the API contract). Fields the pages rely on are required;
// everything else the server adds is ignored.

export type Role = "admin" | "user";

export interface User {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  thumb_url: string | null;
  created_at: string;
  last_login_at: string | null;
}

export type ServiceState = "up" | "down" | "degraded" | "unknown" | "disabled";

export interface ServiceStatus {
  name: string;
  display_name: string;
  status: ServiceState;
  response_ms: number | null;
  checked_at: string | null;
  uptime_24h: number | null;
  message: string | null;
}

export interface StatusPoint {
  at: string;
  status: ServiceState;
  response_ms: number | null;
}

export type MediaType = "movie" | "show" | "season" | "episode" | "artist" | "album" | "track" | string;

export interface MediaItem {
  id: string;
  title: string;
  year: number | null;
  type: MediaType;
  thumb_url: string | null;
  added_at: string | null;
  /** The show of a season or episode (search hits). */
  show_title?: string | null;
}

export type RequestState =
  | "pending"
  | "approved"
  | "declined"
  | "processing"
  | "partially_available"
  | "available"
  | "failed";

export interface MediaRequest {
  id: string;
  title: string;
  media_type: "movie" | "tv";
  tmdb_id: number;
  status: RequestState;
  requested_by: unknown;
  /** Shows: the requested season numbers. */
  seasons?: number[] | null;
  year?: number | null;
  poster_url?: string | null;
  created_at: string;
  updated_at: string;
}

export type DownloadState = "queued" | "downloading" | "processing" | "completed" | "failed" | "cancelled";

export interface DownloadProgress {
  percent: number | null;
  downloaded_bytes: number | null;
  total_bytes: number | null;
  speed: number | null;
  eta: number | null;
  current_item: string | null;
  items_done: number | null;
  items_total: number | null;
}

export interface DownloadFile {
  position: number;
  title: string | null;
  status: string;
  name: string | null;
  error: string | null;
}

export interface Download {
  id: string;
  url: string;
  title: string | null;
  status: DownloadState;
  progress: DownloadProgress | null;
  /** Only in GET /downloads/{id}: one entry per video. */
  files?: DownloadFile[] | null;
  collection: string | null;
  /** Whose download (useful in an admin's view of everyone's). */
  username?: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Notification {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  read: boolean;
  created_at: string;
}

export interface NotificationList {
  items: Notification[];
  unread: number;
}

/** Lists may come bare or wrapped in {items}; accept both so a page never breaks on the wrapper. */
export function itemsOf<T>(data: T[] | { items?: T[] } | null | undefined): T[] {
  if (Array.isArray(data)) return data;
  return data?.items ?? [];
}

/** A list response as a Page, whether it came bare or as {items, total}. */
export function pageOf<T>(data: T[] | { items?: T[]; total?: number } | null | undefined): Page<T> {
  const items = itemsOf(data);
  const total = !Array.isArray(data) && typeof data?.total === "number" ? data.total : items.length;
  return { items, total };
}
