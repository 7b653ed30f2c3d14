// The bell: unread count on the button, the latest few in a panel, and a link to the full list
// (NotificationsPage) where each one can be opened and marked read.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "wouter";
import { Button } from "../../components/ui/Button";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { formatRelative } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { sameSiteLink } from "../../lib/safeRedirect";
import { markNotificationsRead, notificationsQuery } from "./api";

export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const client = useQueryClient();
  const list = useQuery(notificationsQuery());
  const markAll = useMutation({
    mutationFn: () => markNotificationsRead(),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.notifications.all }),
  });
  const unread = list.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className="icon-btn"
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        data-testid="notifications-bell"
      >
        <Bell size={18} aria-hidden="true" />
        {unread > 0 && (
          <span className="bell__count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      <div id={panelId} className="bell__panel" hidden={!open}>
        <div className="bell__head">
          <h2 className="bell__title">Notifications</h2>
          {unread > 0 && (
            <Button size="sm" variant="ghost" busy={markAll.isPending} onClick={() => markAll.mutate()}>
              Mark all read
            </Button>
          )}
        </div>
        {list.isPending ? (
          <SkeletonText lines={3} />
        ) : list.isError ? (
          <ErrorState compact error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <p className="muted">Nothing new. Request updates and finished downloads will show up here.</p>
        ) : (
          <ul className="bell__list">
            {list.data.items.slice(0, 8).map((n) => {
              const href = sameSiteLink(n.link);
              return (
                <li key={n.id} className={n.read ? "bell__item" : "bell__item bell__item--unread"}>
                  <p className="bell__item-title">
                    {href ? (
                      <Link href={href} onClick={() => setOpen(false)}>
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                  </p>
                  {n.body && <p className="bell__item-body">{n.body}</p>}
                  <p className="bell__item-time">{formatRelative(n.created_at)}</p>
                </li>
              );
            })}
          </ul>
        )}
        <Link href="/notifications" className="bell__all" onClick={() => setOpen(false)}>
          See all notifications
        </Link>
      </div>
    </div>
  );
}
