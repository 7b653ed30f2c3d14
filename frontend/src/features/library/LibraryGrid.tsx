// Posters of one library section, page after page as the user scrolls (images load lazily as
// they come near the screen). Pages stay cached, so Back from an item returns to the same spot.

import { useInfiniteQuery } from "@tanstack/react-query";
import { Film } from "lucide-react";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { LoadMore } from "../../components/ui/LoadMore";
import { PosterCard, PosterSkeleton } from "../../components/ui/PosterCard";
import type { MediaItem } from "../../lib/types";
import { libraryItemsQuery, TYPE_LABELS } from "./api";

export function PosterSkeletons({ count = 12, label }: { count?: number; label: string }) {
  return (
    <div className="poster-grid" aria-busy="true" aria-label={label}>
      {Array.from({ length: count }, (_, i) => (
        <PosterSkeleton key={i} />
      ))}
    </div>
  );
}

export function MediaPosters({ items, label }: { items: MediaItem[]; label: string }) {
  return (
    <ul className="poster-grid poster-grid--long" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          <PosterCard
            title={item.title}
            subtitle={item.show_title || (item.year ? String(item.year) : null)}
            imageUrl={item.thumb_url}
            href={`/library/items/${encodeURIComponent(item.id)}`}
            typeLabel={TYPE_LABELS[item.type]}
          />
        </li>
      ))}
    </ul>
  );
}

export function LibraryGrid({ sectionId, sectionTitle, sort }: { sectionId: string; sectionTitle: string; sort: string }) {
  const items = useInfiniteQuery(libraryItemsQuery(sectionId, sort));
  const { fetchNextPage, error } = items;
  if (items.isPending) return <PosterSkeletons label={`Loading ${sectionTitle}`} />;
  // A failed next page keeps the posters already shown; only a failed first page replaces them.
  if (!items.data) {
    return <ErrorState title={`${sectionTitle} could not be loaded`} error={items.error} onRetry={() => void items.refetch()} />;
  }
  const all = items.data.pages.flatMap((p) => p.items);
  const total = items.data.pages[0]?.total ?? all.length;
  if (all.length === 0) {
    return (
      <EmptyState icon={<Film size={28} />} title={`${sectionTitle} is empty.`}>
        Once Plex adds something to this library, it shows up here.
      </EmptyState>
    );
  }
  return (
    <>
      <p className="muted" aria-live="polite">
        Showing {all.length} of {total}
      </p>
      <MediaPosters items={all} label={sectionTitle} />
      {items.isFetchNextPageError && (
        <ErrorState compact title="The next posters could not be loaded" error={error} onRetry={() => void fetchNextPage()} />
      )}
      {items.hasNextPage && !items.isFetchNextPageError && (
        <LoadMore
          loading={items.isFetchingNextPage}
          onLoad={() => {
            if (!items.isFetchingNextPage) void items.fetchNextPage();
          }}
          label="Show more"
        />
      )}
    </>
  );
}
