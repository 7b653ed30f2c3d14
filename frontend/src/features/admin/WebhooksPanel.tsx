// What to paste into Plex and Overseerr so they tell MediaNest about new media and request
// changes. Rotating makes new secrets; the old URLs stop working at once, hence the confirmation.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useState } from "react";
import { Button } from "../../components/ui/Button";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";
import { CopyField } from "../../components/ui/CopyField";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { toast } from "../../components/ui/Toaster";
import { queryKeys } from "../../lib/queryKeys";
import { rotateWebhooks, webhooksQuery } from "./api";

export function WebhooksPanel({ allowRotate = true }: { allowRotate?: boolean }) {
  const client = useQueryClient();
  const hooks = useQuery(webhooksQuery());
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation({
    mutationFn: rotateWebhooks,
    onSuccess: (urls) => {
      client.setQueryData(queryKeys.status.webhooks(), urls);
      setConfirming(false);
      toast({ tone: "success", title: "New webhook secrets made", body: "Paste the new URLs into Plex and Overseerr." });
    },
  });

  if (hooks.isPending) return <SkeletonText lines={4} />;
  if (hooks.isError) {
    return <ErrorState title="Webhook URLs unavailable" error={hooks.error} onRetry={() => void hooks.refetch()} />;
  }
  return (
    <div className="webhooks" data-testid="webhooks">
      <div className="webhooks__group">
        <p className="muted">
          In Plex: Settings → Webhooks → Add Webhook, then paste this URL. (Webhooks need a Plex Pass.)
        </p>
        <CopyField label="Plex webhook URL" value={hooks.data.plex_url} secret testId="webhook-plex-url" />
      </div>
      <div className="webhooks__group">
        <p className="muted">
          In Overseerr: Settings → Notifications → Webhook. Paste the URL, and the header value into “Authorization
          Header”.
        </p>
        <CopyField label="Overseerr webhook URL" value={hooks.data.overseerr_url} testId="webhook-overseerr-url" />
        <CopyField
          label="Overseerr authorization header"
          value={hooks.data.overseerr_authorization}
          secret
          testId="webhook-overseerr-authorization"
        />
      </div>
      {allowRotate && (
        <>
          <Button variant="secondary" icon={<RotateCw size={16} aria-hidden="true" />} onClick={() => setConfirming(true)}>
            Rotate secrets
          </Button>
          <ConfirmDialog
            open={confirming}
            title="Make new webhook secrets?"
            description="The current URLs stop working at once. Until you paste the new ones into Plex and Overseerr, MediaNest won't hear about new media or request changes."
            confirmLabel="Rotate secrets"
            busy={rotate.isPending}
            onConfirm={() => rotate.mutate()}
            onClose={() => setConfirming(false)}
          />
        </>
      )}
    </div>
  );
}
