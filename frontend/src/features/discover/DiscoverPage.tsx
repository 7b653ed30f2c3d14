// Find films and shows (through Overseerr) and request them. Each poster says whether it's in Plex
// already, partly there, on its way, or requested; everything else can be requested.

import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { Compass, Gauge, SearchX } from "lucide-react";
import { SearchBar } from "../../components/ui/SearchBar";
import { useEffect, useState } from "react";
import { Page } from "../../components/layout/Page";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { LoadMore } from "../../components/ui/LoadMore";
import { PosterCard, PosterSkeleton } from "../../components/ui/PosterCard";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { toast } from "../../components/ui/Toaster";
import { queryKeys } from "../../lib/queryKeys";
import { useSearchParams } from "../../lib/useSearchParams";
import { discoverQuery, type DiscoverResponse, type DiscoverResult } from "./api";
import { quotaText, readQuota } from "./quota";
import { RequestDialog } from "./RequestDialog";

function Quota({ raw }: { raw: unknown }) {
  const lines = readQuota(raw);
  if (lines.length === 0) return null;
  const low = lines.some((l) => l.remaining <= 1);
  return (
    <div className={`banner ${low ? "banner--warning" : "banner--info"}`} role="status" data-testid="request-quota">
      <Gauge size={18} aria-hidden="true" />
      <span>
        {lines.map(quotaText).join(" · ")}.
        {lines.some((l) => l.remaining === 0) && " Requests of that kind wait until the quota resets."}
      </span>
    </div>
  );
}

function ResultCard({ result, onRequest }: { result: DiscoverResult; onRequest: (r: DiscoverResult) => void }) {
  const status = result.status;
  const canRequest = status === "unknown" || !status || (status === "partially_available" && result.media_type === "tv");
  return (
    <li className="discover-card" data-testid="discover-result" data-tmdb-id={result.tmdb_id}>
      <PosterCard
        title={result.title}
        subtitle={result.year ? String(result.year) : null}
        imageUrl={result.poster_url}
        typeLabel={result.media_type === "tv" ? "Series" : "Film"}
        status={status && status !== "unknown" ? <StatusBadge status={status} /> : undefined}
      />
      {canRequest ? (
        <Button size="sm" variant="primary" onClick={() => onRequest(result)} data-testid="request-button"
          aria-label={`${status === "partially_available" ? "Request more of" : "Request"} ${result.title}`}>
          {status === "partially_available" ? "Request more" : "Request"}
        </Button>
      ) : null}
    </li>
  );
}

export function DiscoverPage() {
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const [text, setText] = useState(q);
  const [requesting, setRequesting] = useState<DiscoverResult | null>(null);
  const results = useInfiniteQuery(discoverQuery(q));
  const { fetchNextPage, error } = results;

  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === q) return;
    const timer = setTimeout(() => setParams({ q: trimmed || null }, { replace: true }), 400);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);
  useEffect(() => setText((t) => (t.trim() === q ? t : q)), [q]);

  function done(result: DiscoverResult, outcome: "requested" | "exists") {
    setRequesting(null);
    if (outcome === "requested") {
      // Show it as requested at once; the refetch below brings the server's word.
      client.setQueryData<InfiniteData<DiscoverResponse>>(queryKeys.discover.search(q), (old) =>
        old && {
          ...old,
          pages: old.pages.map((p) => ({
            ...p,
            results: p.results.map((r) => (r.tmdb_id === result.tmdb_id && r.media_type === result.media_type ? { ...r, status: "pending" } : r)),
          })),
        },
      );
      toast({ tone: "success", title: `Requested ${result.title}`, body: "You'll get a notification when it's in Plex." });
      void client.invalidateQueries({ queryKey: queryKeys.requests.all });
    }
    void client.invalidateQueries({ queryKey: queryKeys.discover.all });
  }

  const pages = results.data?.pages ?? [];
  const all = pages.flatMap((p) => p.results);
  const quota = pages.at(-1)?.quota;

  return (
    <Page title="Discover">
      <SearchBar label="Search films and shows" value={text} onChange={setText} testId="discover-search"
        onSubmit={(value) => setParams({ q: value || null }, { replace: true })} />
      <Quota raw={quota} />
      {!q ? (
        <EmptyState icon={<Compass size={32} />} title="Search for a film or a show to request it.">
          Anything already in Plex is marked; the rest can be requested.
        </EmptyState>
      ) : results.isPending ? (
        <div className="poster-grid" aria-busy="true" aria-label="Searching">
          {Array.from({ length: 10 }, (_, i) => (
            <PosterSkeleton key={i} />
          ))}
        </div>
      ) : !results.data ? (
        <ErrorState title="The search failed" error={results.error} onRetry={() => void results.refetch()} />
      ) : all.length === 0 ? (
        <EmptyState icon={<SearchX size={28} />} title={`Nothing found for “${q}”.`}>
          Check the spelling, or try the original title.
        </EmptyState>
      ) : (
        <>
          <ul className="poster-grid" aria-label={`Results for ${q}`}>
            {all.map((r) => (
              <ResultCard key={`${r.media_type}:${r.tmdb_id}`} result={r} onRequest={setRequesting} />
            ))}
          </ul>
          {results.isFetchNextPageError && (
            <ErrorState compact title="More results could not be loaded" error={error} onRetry={() => void fetchNextPage()} />
          )}
          {results.hasNextPage && !results.isFetchNextPageError && (
            <LoadMore loading={results.isFetchingNextPage} label="More results" onLoad={() => {
              if (!results.isFetchingNextPage) void fetchNextPage();
            }} />
          )}
        </>
      )}
      <RequestDialog result={requesting} onClose={() => setRequesting(null)} onDone={done} />
    </Page>
  );
}
