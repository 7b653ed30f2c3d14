import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys, type DownloadListParams } from "../../lib/queryKeys";
import { pageOf, type Download, type DownloadState, type Page } from "../../lib/types";

export const ACTIVE_DOWNLOAD_STATES: ReadonlySet<DownloadState> = new Set(["queued", "downloading", "processing"]);

export const downloadsQuery = (params: DownloadListParams) =>
  queryOptions({
    queryKey: queryKeys.downloads.list(params),
    queryFn: async ({ signal }) =>
      pageOf(await api.get<Page<Download> | Download[]>("/downloads/", { signal, query: { ...params } })),
  });
