import { useQuery } from "@tanstack/react-query";
import { Film } from "lucide-react";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { PosterCard, PosterSkeleton } from "../../components/ui/PosterCard";
import { TYPE_LABELS } from "../../lib/mediaTypes";
import { recentMediaQuery } from "./api";

const COUNT = 12;

export function RecentlyAdded() {
  const recent = useQuery(recentMediaQuery(COUNT));
  if (recent.isPending) {
    return (
      <div className="poster-grid" aria-busy="true" aria-label="Loading recently added">
        {Array.from({ length: 6 }, (_, i) => (
          <PosterSkeleton key={i} />
        ))}
      </div>
    );
  }
  if (recent.isError) {
    return <ErrorState title="Recently added unavailable" error={recent.error} onRetry={() => void recent.refetch()} />;
  }
  if (recent.data.length === 0) {
    return <EmptyState icon={<Film size={28} />} title="Nothing was added to Plex recently." />;
  }
  return (
    <ul className="poster-grid" aria-label="Recently added">
      {recent.data.map((item) => (
        <li key={item.id}>
          <PosterCard
            title={item.title}
            subtitle={item.year ? String(item.year) : null}
            imageUrl={item.thumb_url}
            href={`/library/items/${encodeURIComponent(item.id)}`}
            typeLabel={TYPE_LABELS[item.type] ?? undefined}
          />
        </li>
      ))}
    </ul>
  );
}
