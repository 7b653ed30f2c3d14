// Page through a long list. The page lives in the address (see useSearchParams), so Back works.

import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "./Button";

export function Pager({
  page,
  pageCount,
  onPage,
  busy = false,
  label = "Pages",
}: {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  busy?: boolean;
  label?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label={label}>
      <Button size="sm" disabled={page <= 1 || busy} onClick={() => onPage(page - 1)} icon={<ChevronLeft size={16} aria-hidden="true" />}>
        Newer
      </Button>
      <span className="pager__where" aria-live="polite">
        Page {page} of {pageCount}
      </span>
      <Button size="sm" disabled={page >= pageCount || busy} onClick={() => onPage(page + 1)}>
        Older
        <ChevronRight size={16} aria-hidden="true" />
      </Button>
    </nav>
  );
}

/** The page number from the address: a whole number from 1, anything else is 1. */
export function pageParam(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
