// Admin → Audit log: who changed what (settings, users, webhook secrets, the Plex link), newest first.

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { useState } from "react";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { formatDateTime } from "../../lib/format";
import { AUDIT_PAGE, auditQuery, type AuditEntry } from "./api";

/** The details as plain "key: value" text; values are data, never markup. */
function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

function Row({ entry }: { entry: AuditEntry }) {
  const target = entry.target_type ? `${entry.target_type}${entry.target_id ? ` ${entry.target_id}` : ""}` : "";
  return (
    <li className="card audit-row" data-testid="audit-row">
      <p>
        <strong>{entry.actor ?? "system"}</strong> · {entry.action}
        {target ? <> · {target}</> : null}
      </p>
      {Object.keys(entry.details).length > 0 ? <p className="muted">{describe(entry.details)}</p> : null}
      <p className="muted">
        <time dateTime={entry.created_at}>{formatDateTime(entry.created_at)}</time>
        {entry.ip ? ` · ${entry.ip}` : ""}
      </p>
    </li>
  );
}

export function AuditPanel() {
  const [offset, setOffset] = useState(0);
  const query = useQuery({ ...auditQuery(offset), placeholderData: keepPreviousData });
  if (query.isPending) return <SkeletonText lines={6} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const { items, total } = query.data;
  if (total === 0) {
    return (
      <EmptyState icon={<ScrollText size={32} />} title="No admin changes yet.">
        Changes to settings, users and webhook secrets will be listed here.
      </EmptyState>
    );
  }
  return (
    <div className="admin-panel" data-testid="admin-audit">
      <ul className="list">
        {items.map((entry) => (
          <Row key={entry.id} entry={entry} />
        ))}
      </ul>
      <div className="pager">
        <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - AUDIT_PAGE))}>
          Newer
        </Button>
        <Button disabled={offset + AUDIT_PAGE >= total} onClick={() => setOffset(offset + AUDIT_PAGE)}>
          Older
        </Button>
      </div>
    </div>
  );
}
