import { queryOptions } from "@tanstack/react-query";
import { api } from "../../lib/api";
import { queryKeys, type RequestListParams } from "../../lib/queryKeys";
import { pageOf, type MediaRequest, type Page } from "../../lib/types";

export const requestsQuery = (params: RequestListParams) =>
  queryOptions({
    queryKey: queryKeys.requests.list(params),
    queryFn: async ({ signal }) =>
      pageOf(
        await api.get<Page<MediaRequest> | MediaRequest[]>("/media/requests", {
          signal,
          query: { status: params.status, mine: params.mine ? 1 : undefined, offset: params.offset, limit: params.limit },
        }),
      ),
  });
