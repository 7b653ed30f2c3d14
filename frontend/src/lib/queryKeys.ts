// Every query key in one place. Keys are arrays whose first element is the resource, so
// invalidating by prefix (["requests"]) reaches every list and detail of that resource.

export interface RequestListParams {
  status?: string;
  mine?: boolean;
  offset?: number;
  limit?: number;
}

export interface DownloadListParams {
  status?: string;
  /** Admins only: every user's downloads. */
  all?: boolean;
  offset?: number;
  limit?: number;
}

export const queryKeys = {
  auth: {
    all: ["auth"] as const,
    me: ["auth", "me"] as const,
    setup: ["auth", "setup"] as const,
    users: ["auth", "users"] as const,
    audit: (offset: number) => ["auth", "audit", offset] as const,
  },
  notifications: {
    all: ["notifications"] as const,
    list: () => ["notifications", "list"] as const,
    page: (limit: number, unreadOnly: boolean) => ["notifications", "page", limit, unreadOnly] as const,
  },
  status: {
    all: ["status"] as const,
    list: () => ["status", "list"] as const,
    historyOf: (name: string) => ["status", "history", name] as const,
    history: (name: string, hours: number) => ["status", "history", name, hours] as const,
    services: () => ["status", "services"] as const,
    webhooks: () => ["status", "webhooks"] as const,
    insights: (days: number) => ["status", "insights", days] as const,
    publicPage: () => ["status", "public"] as const,
  },
  media: {
    all: ["media"] as const,
    recent: (limit: number) => ["media", "recent", limit] as const,
    libraries: () => ["media", "libraries"] as const,
    libraryItems: (id: string, sort: string) => ["media", "library", id, sort] as const,
    search: (q: string) => ["media", "search", q] as const,
    item: (id: string) => ["media", "item", id] as const,
  },
  discover: {
    all: ["discover"] as const,
    search: (q: string) => ["discover", "search", q] as const,
  },
  requests: {
    all: ["requests"] as const,
    list: (params: RequestListParams) => ["requests", "list", params] as const,
    detail: (id: string) => ["requests", "detail", id] as const,
  },
  downloads: {
    all: ["downloads"] as const,
    lists: () => ["downloads", "list"] as const,
    list: (params: DownloadListParams) => ["downloads", "list", params] as const,
    detail: (id: string) => ["downloads", "detail", id] as const,
    queue: () => ["downloads", "queue"] as const,
  },
};
