// One request as a card (phones first; cards line up in a grid on wide screens): what, whose,
// where it stands, and what can be done with it now.

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { Link } from "wouter";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { toast } from "../../components/ui/Toaster";
import { formatRelative } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import type { MediaRequest } from "../../lib/types";
import { approveRequest, cancelRequest, declineRequest, requesterName } from "./api";

type Action = "cancel" | "approve" | "decline";

const CALLS: Record<Action, (id: string) => Promise<unknown>> = {
  cancel: cancelRequest,
  approve: approveRequest,
  decline: declineRequest,
};

const DONE: Record<Action, string> = {
  cancel: "Request cancelled",
  approve: "Request approved",
  decline: "Request declined",
};

export function RequestCard({
  request,
  isAdmin,
  isMine,
  standalone = false,
}: {
  request: MediaRequest;
  isAdmin: boolean;
  isMine: boolean;
  /** On its own page the title links nowhere. */
  standalone?: boolean;
}) {
  const client = useQueryClient();
  const [confirm, setConfirm] = useState<"cancel" | "decline" | null>(null);
  const act = useMutation({
    mutationFn: (action: Action) => CALLS[action](request.id),
    onSuccess: (_data, action) => {
      setConfirm(null);
      toast({ tone: "success", title: `${DONE[action]}: ${request.title}` });
      void client.invalidateQueries({ queryKey: queryKeys.requests.all });
      void client.invalidateQueries({ queryKey: queryKeys.discover.all });
    },
    onError: () => setConfirm(null),
  });
  const pending = request.status === "pending";
  const who = isAdmin && !isMine ? requesterName(request.requested_by) : null;
  const busy = (a: Action) => act.isPending && act.variables === a;

  return (
    <li className="card" data-testid="request-card" data-status={request.status}>
      <div className="card__row">
        <p className="card__title">
          {standalone ? request.title : <Link href={`/requests/${encodeURIComponent(request.id)}`}>{request.title}</Link>}
        </p>
        <StatusBadge status={request.status} />
      </div>
      <p className="card__meta">
        {request.media_type === "tv" ? "Series" : "Film"}
        {who ? ` · requested by ${who}` : ""} · {formatRelative(request.created_at)}
        {request.updated_at && request.updated_at !== request.created_at ? ` · updated ${formatRelative(request.updated_at)}` : ""}
      </p>
      {pending && (isAdmin || isMine) && (
        <div className="card__actions">
          {isAdmin && (
            <>
              <Button size="sm" variant="primary" icon={<Check size={14} aria-hidden="true" />} busy={busy("approve")}
                disabled={act.isPending} onClick={() => act.mutate("approve")} data-testid="request-approve"
                aria-label={`Approve ${request.title}`}>
                Approve
              </Button>
              <Button size="sm" icon={<X size={14} aria-hidden="true" />} disabled={act.isPending}
                onClick={() => setConfirm("decline")} data-testid="request-decline" aria-label={`Decline ${request.title}`}>
                Decline
              </Button>
            </>
          )}
          {isMine && (
            <Button size="sm" variant="ghost" disabled={act.isPending} onClick={() => setConfirm("cancel")}
              data-testid="request-cancel" aria-label={`Cancel the request for ${request.title}`}>
              Cancel request
            </Button>
          )}
        </div>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "decline" ? `Decline ${request.title}?` : `Cancel your request for ${request.title}?`}
        description={
          confirm === "decline"
            ? "Overseerr is told at once and the requester gets a notification."
            : "It is withdrawn in Overseerr too. You can request it again later."
        }
        confirmLabel={confirm === "decline" ? "Decline" : "Cancel request"}
        busy={act.isPending}
        onConfirm={() => confirm && act.mutate(confirm)}
        onClose={() => setConfirm(null)}
      />
    </li>
  );
}
