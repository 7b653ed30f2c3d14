// Service settings as form values and back. Kept apart from the component so the rules (which
// fields each service has, what is sent) are tested on their own.

import type { ServiceConfig, ServiceUpdate } from "./api";

export interface ServiceFormValues {
  url: string;
  /** Empty means "keep the stored key": a stored key is never sent back to the browser. */
  apiKey: string;
  enabled: boolean;
  slug: string;
  quotaMovies: string;
  quotaSeasons: string;
  allowedHosts: string;
  libraryFolder: string;
  hourlyQuota: string;
  maxItems: string;
  minFreeGb: string;
}

export interface ServiceFields {
  url: boolean;
  keyLabel: string | null;
  keyRequired: boolean;
  urlPlaceholder: string;
  hint: string;
}

export const SERVICE_FIELDS: Record<string, ServiceFields> = {
  plex: {
    url: true,
    keyLabel: "Plex token",
    keyRequired: true,
    urlPlaceholder: "http://192.168.1.10:32400",
    hint: "The address MediaNest uses to reach your Plex Media Server, and a token of the account that owns it.",
  },
  overseerr: {
    url: true,
    keyLabel: "API key",
    keyRequired: true,
    urlPlaceholder: "http://192.168.1.10:5055",
    hint: "Find the API key in Overseerr under Settings → General.",
  },
  uptime_kuma: {
    url: true,
    keyLabel: "API key (optional)",
    keyRequired: false,
    urlPlaceholder: "http://192.168.1.10:3001",
    hint: "MediaNest reads one public status page of Uptime Kuma: give its address and the page's slug.",
  },
  youtube: {
    url: false,
    keyLabel: null,
    keyRequired: false,
    urlPlaceholder: "",
    hint: "Downloads from YouTube with yt-dlp into a Plex library folder.",
  },
};

const GENERIC: ServiceFields = {
  url: true,
  keyLabel: "API key",
  keyRequired: false,
  urlPlaceholder: "https://",
  hint: "",
};

export function fieldsOf(name: string): ServiceFields {
  return SERVICE_FIELDS[name] ?? GENERIC;
}

const str = (v: unknown): string => (v == null ? "" : String(v));

export function toFormValues(service: ServiceConfig): ServiceFormValues {
  const o = service.options ?? {};
  return {
    url: service.url ?? "",
    apiKey: "",
    // A service that was never saved is switched on when the admin fills it in.
    enabled: service.updated_at == null ? true : service.enabled,
    slug: str(o.slug),
    quotaMovies: str(o.quota_movies_per_week),
    quotaSeasons: str(o.quota_seasons_per_week),
    allowedHosts: Array.isArray(o.allowed_hosts) ? o.allowed_hosts.map(String).join(", ") : "",
    libraryFolder: str(o.library_folder),
    hourlyQuota: str(o.hourly_quota),
    maxItems: str(o.max_items),
    minFreeGb: str(o.min_free_gb),
  };
}

function numberOrNull(value: string): number | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

/** Only the options the service knows: the server refuses unknown ones. */
function optionsOf(name: string, v: ServiceFormValues, current: Record<string, unknown>): Record<string, unknown> {
  switch (name) {
    case "plex":
      return {};
    case "overseerr":
      return { quota_movies_per_week: numberOrNull(v.quotaMovies), quota_seasons_per_week: numberOrNull(v.quotaSeasons) };
    case "uptime_kuma":
      return { slug: v.slug.trim() };
    case "youtube": {
      const hosts = v.allowedHosts
        .split(/[\s,]+/)
        .map((h) => h.trim())
        .filter(Boolean);
      const out: Record<string, unknown> = { ...current };
      if (hosts.length) out.allowed_hosts = hosts;
      if (v.libraryFolder.trim()) out.library_folder = v.libraryFolder.trim();
      for (const [key, raw] of [
        ["hourly_quota", v.hourlyQuota],
        ["max_items", v.maxItems],
        ["min_free_gb", v.minFreeGb],
      ] as const) {
        const n = numberOrNull(raw);
        if (n !== null) out[key] = n;
      }
      return out;
    }
    default:
      return current;
  }
}

export function toUpdate(service: ServiceConfig, v: ServiceFormValues): ServiceUpdate {
  const fields = fieldsOf(service.name);
  const update: ServiceUpdate = {
    url: fields.url ? v.url.trim() || null : null,
    enabled: v.enabled,
    options: optionsOf(service.name, v, service.options ?? {}),
  };
  if (fields.keyLabel && v.apiKey.trim()) update.api_key = v.apiKey.trim();
  return update;
}

/** What must be filled before saving; the server checks again (and more). */
export function missingFields(service: ServiceConfig, v: ServiceFormValues): string[] {
  if (!v.enabled) return [];
  const fields = fieldsOf(service.name);
  const missing: string[] = [];
  if (fields.url && !v.url.trim()) missing.push("URL");
  if (fields.keyRequired && !service.api_key_set && !v.apiKey.trim()) missing.push(fields.keyLabel ?? "API key");
  if (service.name === "uptime_kuma" && !v.slug.trim()) missing.push("Status page slug");
  return missing;
}
