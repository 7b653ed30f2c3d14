// The Plex library: one tab per section, a poster grid with sorting, and a search across all
// sections. Section, sort and search words live in the address, so Back returns to the same view.

import { useQuery } from "@tanstack/react-query";
import { Library, SearchX } from "lucide-react";
import { SearchBar } from "../../components/ui/SearchBar";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { Skeleton } from "../../components/ui/Skeleton";
import { useSearchParams } from "../../lib/useSearchParams";
import { DEFAULT_SORT, librariesQuery, librarySearchQuery, SORTS, type LibrarySection } from "./api";
import { LibraryGrid, MediaPosters, PosterSkeletons } from "./LibraryGrid";

function SearchResults({ q }: { q: string }) {
  const results = useQuery(librarySearchQuery(q));
  if (q.length < 2) return <p className="muted">Type at least two letters.</p>;
  if (results.isPending) return <PosterSkeletons count={6} label="Searching" />;
  if (results.isError) return <ErrorState title="The search failed" error={results.error} onRetry={() => void results.refetch()} />;
  if (results.data.length === 0) {
    return (
      <EmptyState icon={<SearchX size={28} />} title={`Nothing in the library matches “${q}”.`} action={<Link href={`/discover?q=${encodeURIComponent(q)}`}>Look for it in Discover and request it</Link>} />
    );
  }
  return <MediaPosters items={results.data} label={`Results for ${q}`} />;
}

function SectionTabs({ sections, current, sort }: { sections: LibrarySection[]; current: string; sort: string }) {
  const sortParam = sort === DEFAULT_SORT ? "" : `&sort=${encodeURIComponent(sort)}`;
  return (
    <nav className="subnav" aria-label="Library sections">
      <ul className="subnav__list">
        {sections.map((s) => (
          <li key={s.id}>
            <Link
              href={`/library?section=${encodeURIComponent(String(s.id))}${sortParam}`}
              className="subnav__link"
              aria-current={String(s.id) === current ? "page" : undefined}
            >
              {s.title}
              {s.count != null && <span className="subnav__count"> {s.count}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function LibraryPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const sort = params.get("sort") ?? DEFAULT_SORT;
  const [text, setText] = useState(q);
  const sections = useQuery(librariesQuery());

  // Typing updates the address after a pause, replacing the entry so Back doesn't step per letter.
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === q) return;
    const timer = setTimeout(() => setParams({ q: trimmed || null }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);
  // Back/Forward to another search puts its words into the box.
  useEffect(() => setText((t) => (t.trim() === q ? t : q)), [q]);

  const list = sections.data ?? [];
  const current = list.find((s) => String(s.id) === params.get("section")) ?? list[0];

  return (
    <Page title="Library">
      <SearchBar label="Search the library" value={text} onChange={setText}
        onSubmit={(value) => setParams({ q: value || null }, { replace: true })}>
        {!q && current && (
          <label className="field">
            <span className="field__label">Sort by</span>
            <select className="input" value={sort} onChange={(e) => setParams({ sort: e.target.value === DEFAULT_SORT ? null : e.target.value })}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </SearchBar>
      {q ? (
        <SearchResults q={q} />
      ) : sections.isPending ? (
        <>
          <Skeleton className="subnav__skeleton" />
          <PosterSkeletons label="Loading the library" />
        </>
      ) : sections.isError ? (
        <ErrorState title="The library could not be loaded" error={sections.error} onRetry={() => void sections.refetch()} />
      ) : !current ? (
        <EmptyState icon={<Library size={32} />} title="Plex has no libraries to show.">
          Add a library in Plex, or ask the admin to check that the Plex server is linked.
        </EmptyState>
      ) : (
        <>
          <SectionTabs sections={list} current={String(current.id)} sort={sort} />
          <LibraryGrid key={`${current.id}:${sort}`} sectionId={String(current.id)} sectionTitle={current.title} sort={sort} />
        </>
      )}
    </Page>
  );
}
