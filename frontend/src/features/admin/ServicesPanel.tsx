// Admin → Services: each service's settings, the webhook URLs, and the public status switch.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe } from "lucide-react";
import { Link } from "wouter";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { toast } from "../../components/ui/Toaster";
import { queryKeys } from "../../lib/queryKeys";
import { publicStatusQuery, servicesQuery, setPublicStatus } from "./api";
import { PlexLink } from "./PlexLink";
import { ServiceForm } from "./ServiceForm";
import { WebhooksPanel } from "./WebhooksPanel";

function PublicStatusSwitch() {
  const client = useQueryClient();
  const current = useQuery(publicStatusQuery());
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => setPublicStatus(enabled),
    onSuccess: (result) => {
      client.setQueryData(queryKeys.status.publicPage(), { enabled: result.enabled });
      toast({ tone: "success", title: result.enabled ? "Public status page on" : "Public status page off" });
    },
  });
  if (current.isPending) return <SkeletonText lines={1} />;
  if (current.isError) return <ErrorState compact error={current.error} onRetry={() => void current.refetch()} />;
  const enabled = toggle.isPending ? (toggle.variables ?? current.data.enabled) : current.data.enabled;
  return (
    <label className="check" data-testid="public-status-toggle">
      <input
        type="checkbox"
        role="switch"
        checked={enabled}
        disabled={toggle.isPending}
        onChange={(e) => toggle.mutate(e.target.checked)}
      />
      <span>Show service status to anyone, without signing in (names and states only)</span>
    </label>
  );
}

export function ServicesPanel() {
  const services = useQuery(servicesQuery());
  return (
    <div className="admin-panel">
      <section className="section" aria-labelledby="admin-services">
        <div className="section__head">
          <h2 id="admin-services" className="section__title">
            Services
          </h2>
          <Link href="/admin/setup" className="section__link">
            Open first-run setup
          </Link>
        </div>
        {services.isPending ? (
          <SkeletonText lines={8} />
        ) : services.isError ? (
          <ErrorState title="Service settings unavailable" error={services.error} onRetry={() => void services.refetch()} />
        ) : services.data.length === 0 ? (
          <EmptyState title="The server reported no services." />
        ) : (
          <div className="service-forms">
            {services.data.map((s) => (
              <div key={s.name} className="service-forms__item">
                <ServiceForm service={s} />
                {s.name === "plex" && (
                  <details className="disclosure">
                    <summary>Link by signing in with the owner's Plex account instead</summary>
                    <PlexLink />
                  </details>
                )}
              </div>
            ))}
          </div>
        )}
      </section>
      <section className="section panel" aria-labelledby="admin-webhooks">
        <h2 id="admin-webhooks" className="section__title">
          Webhook URLs
        </h2>
        <WebhooksPanel />
      </section>
      <section className="section panel" aria-labelledby="admin-public">
        <h2 id="admin-public" className="section__title">
          <Globe size={18} aria-hidden="true" className="inline-icon" /> Public status page
        </h2>
        <PublicStatusSwitch />
      </section>
    </div>
  );
}
