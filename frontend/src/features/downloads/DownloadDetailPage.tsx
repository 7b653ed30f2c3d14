// One download on its own page: where a "download finished/failed" notification leads.

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, SearchX } from "lucide-react";
import { Link, useLocation, useParams } from "wouter";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { isApiError } from "../../lib/api";
import { downloadQuery } from "./api";
import { DownloadCard } from "./DownloadCard";

export function DownloadDetailPage() {
  const { id = "" } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const download = useQuery(downloadQuery(id));
  const back = (
    <Link href="/downloads" className="back-link">
      <ArrowLeft size={16} aria-hidden="true" /> All downloads
    </Link>
  );
  return (
    <Page title={download.data?.title || "Download"} actions={back}>
      {download.isPending ? (
        <SkeletonText lines={4} />
      ) : isApiError(download.error, 404) ? (
        <EmptyState icon={<SearchX size={28} />} title="This download is no longer there.">
          It was deleted, or it belongs to someone else.
        </EmptyState>
      ) : download.isError ? (
        <ErrorState title="The download could not be loaded" error={download.error} onRetry={() => void download.refetch()} />
      ) : (
        <ul className="card-list">
          <DownloadCard download={download.data} standalone onDeleted={() => navigate("/downloads", { replace: true })} />
        </ul>
      )}
    </Page>
  );
}
