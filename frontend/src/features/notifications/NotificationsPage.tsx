// Every notification, newest first: read them, mark them read, follow their links (same-site only).

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff, Check, CheckCheck } from "lucide-react";
import { Link } from "wouter";
import { Page } from "../../components/layout/Page";
import { Button } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { formatDateTime, formatRelative } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { sameSiteLink } from "../../lib/safeRedirect";
import type { Notification } from "../../lib/types";
import { useSearchParams } from "../../lib/useSearchParams";
import { markNotificationsRead, notificationsPageQuery } from "./api";

const STEP = 50;
// The API returns at most 200 at a time.
const MAX = 200;

function Item({ n, onRead, busy }: { n: Notification; onRead: (id: string) => void; busy: boolean }) {
  const href = sameSiteLink(n.link);
  return (
    <li className={`card notification${n.read ? "" : " notification--unread"}`} data-testid="notification-item" data-read={n.read}>
      <div className="card__row">
        <p className="card__title">
          {!n.read && <span className="visually-hidden">Unread: </span>}
          {n.title}
        </p>
        <time className="card__meta" dateTime={n.created_at} title={formatDateTime(n.created_at)}>
          {formatRelative(n.created_at)}
        </time>
      </div>
      {n.body && <p className="notification__body">{n.body}</p>}
      <div className="card__actions">
        {href && (
          <Link href={href} onClick={() => !n.read && onRead(n.id)}>
            Open
          </Link>
        )}
        {!n.read && (
          <Button size="sm" variant="ghost" icon={<Check size={14} aria-hidden="true" />} disabled={busy}
            onClick={() => onRead(n.id)} aria-label={`Mark “${n.title}” read`}>
            Mark read
          </Button>
        )}
      </div>
    </li>
  );
}

export function NotificationsPage() {
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("unread") === "1";
  const limit = Math.min(MAX, Math.max(STEP, Number(params.get("shown")) || STEP));
  const list = useQuery({ ...notificationsPageQuery(limit, unreadOnly), placeholderData: keepPreviousData });
  const mark = useMutation({
    mutationFn: (ids?: string[]) => markNotificationsRead(ids),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
  const unread = list.data?.unread ?? 0;

  return (
    <Page
      title="Notifications"
      actions={
        unread > 0 ? (
          <Button size="sm" icon={<CheckCheck size={16} aria-hidden="true" />} busy={mark.isPending && !mark.variables} onClick={() => mark.mutate(undefined)}>
            Mark all read
          </Button>
        ) : undefined
      }
    >
      <label className="check">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setParams({ unread: e.target.checked ? "1" : null, shown: null })} />
        <span>Unread only{unread ? ` (${unread})` : ""}</span>
      </label>
      {list.isPending ? (
        <SkeletonText lines={6} />
      ) : !list.data ? (
        <ErrorState title="Notifications could not be loaded" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState icon={<BellOff size={28} />} title={unreadOnly ? "Nothing unread." : "No notifications yet."}>
          Request updates, finished downloads and service alerts show up here.
        </EmptyState>
      ) : (
        <>
          <ul className="card-list" aria-label="Notifications">
            {list.data.items.map((n) => (
              <Item key={n.id} n={n} busy={mark.isPending} onRead={(id) => mark.mutate([id])} />
            ))}
          </ul>
          {list.data.items.length >= limit && limit >= MAX && <p className="muted">Only the newest {MAX} are shown.</p>}
          {list.data.items.length >= limit && limit < MAX && (
            <div className="load-more">
              <Button busy={list.isFetching} onClick={() => setParams({ shown: String(limit + STEP) }, { replace: true })}>
                Show older
              </Button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}
