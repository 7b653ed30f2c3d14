// My requests (admins: everyone's, with approve and decline). The list follows live status
// changes: the socket's request:update refetches it.

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { Link } from "wouter";
import { Page } from "../../components/layout/Page";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { Pager, pageParam } from "../../components/ui/Pager";
import { SkeletonText } from "../../components/ui/Skeleton";
import { useCurrentUser } from "../../lib/currentUser";
import { useSearchParams } from "../../lib/useSearchParams";
import { requestsQuery, requesterIsMe } from "./api";
import { RequestCard } from "./RequestCard";

const STATUSES = [
  ["", "Any status"],
  ["pending", "Pending"],
  ["approved", "Approved"],
  ["processing", "Processing"],
  ["partially_available", "Partly available"],
  ["available", "Available"],
  ["declined", "Declined"],
  ["failed", "Failed"],
] as const;

const PAGE = 20;

export function RequestsPage() {
  const user = useCurrentUser();
  const isAdmin = user.role === "admin";
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const everyone = isAdmin && params.get("view") !== "mine";
  const page = pageParam(params.get("page"));
  const requests = useQuery({
    ...requestsQuery({ status: status || undefined, mine: !everyone, limit: PAGE, offset: (page - 1) * PAGE }),
    placeholderData: keepPreviousData,
  });

  return (
    <Page title={isAdmin ? "Requests" : "My requests"}>
      <div className="toolbar">
        {isAdmin && (
          <div className="segmented" role="radiogroup" aria-label="Whose requests">
            <label className="segmented__option">
              <input type="radio" name="req-view" checked={everyone} onChange={() => setParams({ view: null, page: null })} />
              <span>Everyone's</span>
            </label>
            <label className="segmented__option">
              <input type="radio" name="req-view" checked={!everyone} onChange={() => setParams({ view: "mine", page: null })} />
              <span>Mine</span>
            </label>
          </div>
        )}
        <label className="field">
          <span className="field__label">Status</span>
          <select className="input" value={status} onChange={(e) => setParams({ status: e.target.value || null, page: null })} data-testid="request-status-filter">
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {requests.isPending ? (
        <SkeletonText lines={6} />
      ) : requests.isError && !requests.data ? (
        <ErrorState title="Requests could not be loaded" error={requests.error} onRetry={() => void requests.refetch()} />
      ) : requests.data.items.length === 0 ? (
        <EmptyState icon={<Inbox size={28} />} title={status ? "No requests with this status." : everyone ? "Nobody has requested anything yet." : "You haven't requested anything yet."}
          action={status ? <Button size="sm" onClick={() => setParams({ status: null })}>Show every status</Button> : <Link href="/discover">Find something to request</Link>} />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {requests.data.total === 1 ? "1 request" : `${requests.data.total} requests`}
          </p>
          <ul className="card-list card-list--grid" aria-label="Requests">
            {requests.data.items.map((r) => (
              <RequestCard key={r.id} request={r} isAdmin={isAdmin} isMine={!everyone || requesterIsMe(r.requested_by, user.id, user.username)} />
            ))}
          </ul>
          <Pager page={page} pageCount={Math.ceil(requests.data.total / PAGE)} busy={requests.isFetching} label="Request pages"
            onPage={(p) => setParams({ page: p > 1 ? String(p) : null })} />
        </>
      )}
    </Page>
  );
}
