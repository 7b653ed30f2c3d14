// YouTube downloads into Plex: the form, what is running now (live), and the history.

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Download as DownloadIcon, History } from "lucide-react";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { Pager, pageParam } from "../../components/ui/Pager";
import { SkeletonText } from "../../components/ui/Skeleton";
import { useCurrentUser } from "../../lib/currentUser";
import { useSearchParams } from "../../lib/useSearchParams";
import { ACTIVE_DOWNLOAD_STATES, downloadsQuery } from "./api";
import { DownloadCard } from "./DownloadCard";
import { DownloadForm } from "./DownloadForm";

const PAGE = 50;

export function DownloadsPage() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const everyone = user.role === "admin" && params.get("view") === "all";
  const page = pageParam(params.get("page"));
  const downloads = useQuery({
    ...downloadsQuery({ limit: PAGE, offset: (page - 1) * PAGE, all: everyone || undefined }),
    placeholderData: keepPreviousData,
  });

  // Newest first: running downloads are on the first page, older pages are history.
  const items = downloads.data?.items ?? [];
  const running = items.filter((d) => ACTIVE_DOWNLOAD_STATES.has(d.status));
  const history = items.filter((d) => !ACTIVE_DOWNLOAD_STATES.has(d.status));
  const pageCount = downloads.data ? Math.ceil(downloads.data.total / PAGE) : 1;

  return (
    <Page title="Downloads">
      <DownloadForm />
      {user.role === "admin" && (
        <div className="segmented" role="radiogroup" aria-label="Whose downloads">
          <label className="segmented__option">
            <input type="radio" name="dl-view" checked={!everyone} onChange={() => setParams({ view: null, page: null })} />
            <span>Mine</span>
          </label>
          <label className="segmented__option">
            <input type="radio" name="dl-view" checked={everyone} onChange={() => setParams({ view: "all", page: null })} />
            <span>Everyone's</span>
          </label>
        </div>
      )}
      {downloads.isPending ? (
        <SkeletonText lines={6} />
      ) : !downloads.data ? (
        <ErrorState title="Downloads could not be loaded" error={downloads.error} onRetry={() => void downloads.refetch()} />
      ) : (
        <>
          <section className="section" aria-labelledby="dl-running">
            <h2 id="dl-running" className="section__title">
              In progress
            </h2>
            {running.length === 0 ? (
              <EmptyState icon={<DownloadIcon size={24} />} title="Nothing is downloading.">
                Paste a YouTube link above to start.
              </EmptyState>
            ) : (
              <ul className="card-list" aria-label="Downloads in progress">
                {running.map((d) => (
                  <DownloadCard key={d.id} download={d} showOwner={everyone} />
                ))}
              </ul>
            )}
          </section>
          <section className="section" aria-labelledby="dl-history">
            <h2 id="dl-history" className="section__title">
              History
            </h2>
            {history.length === 0 ? (
              <EmptyState icon={<History size={24} />} title="No finished downloads yet." />
            ) : (
              <ul className="card-list card-list--grid" aria-label="Finished downloads">
                {history.map((d) => (
                  <DownloadCard key={d.id} download={d} showOwner={everyone} />
                ))}
              </ul>
            )}
            <Pager page={page} pageCount={pageCount} busy={downloads.isFetching} label="Download pages"
              onPage={(p) => setParams({ page: p > 1 ? String(p) : null })} />
          </section>
        </>
      )}
    </Page>
  );
}
