// The admin's calls: service settings, webhook secrets, the Plex link, users, insights and the
// public status switch. Secrets are write-only: a form never receives a stored key back.

import { queryOptions } from "@tanstack/react-query";
import { api, isApiError } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";
import { itemsOf, pageOf, type Page, type User } from "../../lib/types";

export type ServiceName = "plex" | "overseerr" | "uptime_kuma" | "youtube" | (string & {});

export interface ServiceConfig {
  name: ServiceName;
  display_name: string;
  url: string | null;
  enabled: boolean;
  configured: boolean;
  api_key_set: boolean;
  options: Record<string, unknown>;
  machine_identifier?: string | null;
  updated_at?: string | null;
  /** Set on a save whose check found the service down (saved anyway). */
  warning?: string | null;
}

export interface ServiceUpdate {
  url: string | null;
  /** Left out keeps the stored key. */
  api_key?: string;
  enabled: boolean;
  options: Record<string, unknown>;
}

export interface TestResult {
  ok: boolean;
  response_ms: number | null;
  message: string;
  version: string | null;
}

export interface WebhookUrls {
  plex_url: string;
  overseerr_url: string;
  overseerr_authorization: string;
}

export interface LinkPin {
  pin_id: number | string;
  code: string;
  auth_url: string;
  expires_at: string | null;
}

export interface PlexConnection {
  uri: string;
  local: boolean;
  relay: boolean;
}

export interface PlexServer {
  machine_identifier: string;
  name: string;
  version?: string | null;
  connections: PlexConnection[];
}

export interface LinkStatus {
  status: "waiting" | "authorized";
  servers?: PlexServer[];
}

export type AccountStatus = "active" | "disabled";

export interface AdminUser extends User {
  status: AccountStatus;
  is_local?: boolean;
  request_count: number;
  download_count: number;
}

export interface Insights {
  days: number;
  daily_active_users: { day: string; users: number }[];
  requests: { day: string; submitted: number; completed: number }[];
  downloads_per_user: { user_id: string; username: string; downloads: number; bytes: number }[];
  queue_wait: { day: string; mean_seconds: number | null; max_seconds: number | null }[];
  availability: { service: string; day: string; availability: number }[];
}

const svcPath = (name: string) => `/status/services/${encodeURIComponent(name)}`;

export const servicesQuery = () =>
  queryOptions({
    queryKey: queryKeys.status.services(),
    queryFn: async ({ signal }) =>
      itemsOf(await api.get<ServiceConfig[] | { items: ServiceConfig[] }>("/status/services", { signal })),
  });

export const webhooksQuery = () =>
  queryOptions({
    queryKey: queryKeys.status.webhooks(),
    queryFn: ({ signal }) => api.get<WebhookUrls>("/status/webhooks", { signal }),
    // Secrets: fetched when shown, not kept around.
    staleTime: 0,
    gcTime: 60_000,
  });

export const usersQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.users,
    queryFn: async ({ signal }) => pageOf(await api.get<Page<AdminUser> | AdminUser[]>("/auth/users", { signal })),
  });

export interface AuditEntry {
  id: number;
  actor: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  created_at: string;
}

export const AUDIT_PAGE = 50;

export const auditQuery = (offset: number) =>
  queryOptions({
    queryKey: queryKeys.auth.audit(offset),
    queryFn: ({ signal }) =>
      api.get<Page<AuditEntry>>("/auth/audit", { signal, query: { offset, limit: AUDIT_PAGE } }),
  });

export const insightsQuery = (days: number) =>
  queryOptions({
    queryKey: queryKeys.status.insights(days),
    queryFn: ({ signal }) => api.get<Insights>("/status/insights", { signal, query: { days } }),
    staleTime: 5 * 60_000,
  });

/**
 * Whether the public status list is on. There is no read route for the switch itself, so this asks
 * the public list: it answers 200 when on and 404 when off.
 */
export const publicStatusQuery = () =>
  queryOptions({
    queryKey: queryKeys.status.publicPage(),
    queryFn: async ({ signal }) => {
      try {
        await api.get<unknown>("/status/public", { signal, anonymous: true });
        return { enabled: true };
      } catch (err) {
        if (isApiError(err, 404)) return { enabled: false };
        throw err;
      }
    },
  });

export function saveService(name: string, body: ServiceUpdate): Promise<ServiceConfig> {
  return api.put<ServiceConfig>(svcPath(name), body);
}

export function testService(name: string): Promise<TestResult> {
  return api.post<TestResult>(`${svcPath(name)}/test`);
}

export function rotateWebhooks(): Promise<WebhookUrls> {
  return api.post<WebhookUrls>("/status/webhooks/rotate");
}

export function setPublicStatus(enabled: boolean): Promise<{ enabled: boolean }> {
  return api.put<{ enabled: boolean }>("/status/public", { enabled });
}

export function startPlexLink(): Promise<LinkPin> {
  return api.post<LinkPin>("/status/services/plex/link");
}

export function pollPlexLink(pinId: number | string, signal?: AbortSignal): Promise<LinkStatus> {
  return api.get<LinkStatus>(`/status/services/plex/link/${encodeURIComponent(String(pinId))}`, { signal });
}

export function selectPlexServer(
  pinId: number | string,
  body: { machine_identifier: string; url?: string },
): Promise<LinkStatus> {
  return api.post<LinkStatus>(`/status/services/plex/link/${encodeURIComponent(String(pinId))}/select`, body);
}

export function updateUser(id: string, patch: { role?: "admin" | "user"; status?: AccountStatus }): Promise<AdminUser> {
  return api.patch<AdminUser>(`/auth/users/${encodeURIComponent(id)}`, patch);
}

export function importUsers(): Promise<{ imported: number; created: number }> {
  return api.post<{ imported: number; created: number }>("/auth/users/import");
}
