// One request with its history: where a request notification leads.

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, SearchX } from "lucide-react";
import { Link, useParams } from "wouter";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { isApiError } from "../../lib/api";
import { useCurrentUser } from "../../lib/currentUser";
import { formatDateTime } from "../../lib/format";
import { requestQuery, requesterIsMe } from "./api";
import { RequestCard } from "./RequestCard";

const SOURCES: Record<string, string> = {
  user: "by the requester",
  admin: "by an admin",
  webhook: "reported by Overseerr or Plex",
  reconcile: "found on a check with Overseerr",
  system: "by MediaNest",
};

export function RequestDetailPage() {
  const { id = "" } = useParams<{ id: string }>();
  const user = useCurrentUser();
  const request = useQuery(requestQuery(id));
  const back = (
    <Link href="/requests" className="back-link">
      <ArrowLeft size={16} aria-hidden="true" /> All requests
    </Link>
  );
  if (request.isPending) {
    return (
      <Page title="Request" actions={back}>
        <SkeletonText lines={4} />
      </Page>
    );
  }
  if (request.isError) {
    return (
      <Page title="Request" actions={back}>
        {isApiError(request.error, 404) ? (
          <EmptyState icon={<SearchX size={28} />} title="This request is no longer there." />
        ) : (
          <ErrorState title="The request could not be loaded" error={request.error} onRetry={() => void request.refetch()} />
        )}
      </Page>
    );
  }
  const r = request.data;
  const history = [...(r.history ?? [])].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return (
    <Page title={r.title} actions={back}>
      <ul className="card-list">
        <RequestCard request={r} standalone isAdmin={user.role === "admin"} isMine={requesterIsMe(r.requested_by, user.id, user.username)} />
      </ul>
      {r.seasons && r.seasons.length > 0 && <p className="muted">Seasons: {r.seasons.join(", ")}</p>}
      {history.length > 0 && (
        <section className="section" aria-labelledby="request-history">
          <h2 id="request-history" className="section__title">
            History
          </h2>
          <ol className="timeline" aria-label="Status history">
            {history.map((h, i) => (
              <li key={`${h.created_at}-${i}`} className="timeline__item">
                <StatusBadge status={h.status} />
                <span className="card__meta">
                  {formatDateTime(h.created_at)} {SOURCES[h.source] ?? ""}
                </span>
                {h.note && <span className="timeline__note">{h.note}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Page>
  );
}
