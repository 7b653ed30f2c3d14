// One film, show or other library item: poster, facts, summary and (for shows) its seasons.

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Film, Star } from "lucide-react";
import { useState } from "react";
import { Link, useParams } from "wouter";
import { Page } from "../../components/layout/Page";
import { ErrorState } from "../../components/ui/ErrorState";
import { Skeleton, SkeletonText } from "../../components/ui/Skeleton";
import { isApiError } from "../../lib/api";
import { formatRuntime, plural } from "../../lib/format";
import { genreNames, mediaItemQuery, seasonNumber, TYPE_LABELS, type MediaDetail } from "./api";

function Poster({ url }: { url: string | null | undefined }) {
  const [broken, setBroken] = useState(false);
  return (
    <div className="detail__poster poster__frame">
      {url && !broken ? (
        <img className="poster__img" src={url} alt="" decoding="async" onError={() => setBroken(true)} />
      ) : (
        <div className="poster__placeholder" aria-hidden="true">
          <Film size={40} />
        </div>
      )}
    </div>
  );
}

function Facts({ item }: { item: MediaDetail }) {
  const facts: [string, string][] = [];
  if (item.type) facts.push(["Type", TYPE_LABELS[item.type] ?? item.type]);
  if (item.year) facts.push(["Year", String(item.year)]);
  if (item.duration) facts.push(["Running time", formatRuntime(item.duration)]);
  if (item.content_rating) facts.push(["Rated", item.content_rating]);
  if (item.studio) facts.push(["Studio", item.studio]);
  return (
    <dl className="detail__facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {item.rating != null && Number.isFinite(item.rating) && (
        <div>
          <dt>Rating</dt>
          <dd className="detail__rating">
            <Star size={14} aria-hidden="true" /> {item.rating.toFixed(1)} / 10
          </dd>
        </div>
      )}
    </dl>
  );
}

function Seasons({ item }: { item: MediaDetail }) {
  const seasons = item.seasons ?? [];
  if (seasons.length === 0) return null;
  return (
    <section className="section" aria-labelledby="detail-seasons">
      <h2 id="detail-seasons" className="section__title">
        {plural(seasons.length, "season")}
      </h2>
      <ul className="card-list card-list--grid">
        {seasons.map((s, i) => {
          const n = seasonNumber(s);
          const episodes = s.episode_count ?? s.leaf_count;
          return (
            <li key={s.id ?? i} className="card">
              <p className="card__title">{s.title || (n != null ? `Season ${n}` : "Season")}</p>
              {episodes != null && <p className="card__meta">{plural(episodes, "episode")}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ItemDetailPage() {
  const { id = "" } = useParams<{ id: string }>();
  const item = useQuery(mediaItemQuery(id));
  const back = (
    <Link href="/library" className="back-link">
      <ArrowLeft size={16} aria-hidden="true" /> Library
    </Link>
  );

  if (item.isPending) {
    return (
      <Page title="Loading…" actions={back}>
        <div className="detail" aria-busy="true">
          <Skeleton className="detail__poster poster__frame" />
          <SkeletonText lines={5} />
        </div>
      </Page>
    );
  }
  if (item.isError) {
    return (
      <Page title={isApiError(item.error, 404) ? "Not in the library" : "Couldn't load this item"} actions={back}>
        <ErrorState
          title={isApiError(item.error, 404) ? "This item is no longer in the Plex library." : "The item could not be loaded"}
          error={item.error}
          onRetry={isApiError(item.error, 404) ? undefined : () => void item.refetch()}
        />
      </Page>
    );
  }
  const data = item.data;
  const genres = genreNames(data.genres);
  return (
    <Page title={data.title} actions={back}>
      {data.art_url && (
        // decorative backdrop; the poster and title carry the meaning
        <img className="detail__art" src={data.art_url} alt="" decoding="async" />
      )}
      <div className="detail">
        <Poster url={data.thumb_url} />
        <div className="detail__body">
          <Facts item={data} />
          {genres.length > 0 && (
            <ul className="chips" aria-label="Genres">
              {genres.map((g) => (
                <li key={g} className="chip">
                  {g}
                </li>
              ))}
            </ul>
          )}
          {data.summary ? <p className="detail__summary">{data.summary}</p> : <p className="muted">No summary in Plex.</p>}
        </div>
      </div>
      <Seasons item={data} />
    </Page>
  );
}
