import { useQuery } from "@tanstack/react-query";
import { Activity, TriangleAlert } from "lucide-react";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorBoundary } from "../../components/ui/ErrorBoundary";
import { ErrorState } from "../../components/ui/ErrorState";
import { Skeleton } from "../../components/ui/Skeleton";
import { Sparkline } from "../../components/ui/Sparkline";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { formatMs, formatPercent, formatRelative } from "../../lib/format";
import type { ServiceStatus } from "../../lib/types";
import { statusHistoryQuery, statusListQuery } from "./api";

const HISTORY_HOURS = 24;

function ServiceHistory({ name, displayName }: { name: string; displayName: string }) {
  const history = useQuery(statusHistoryQuery(name, HISTORY_HOURS));
  if (history.isPending) return <Skeleton className="tile__spark-skeleton" />;
  if (history.isError) {
    return (
      <ErrorState compact title="History unavailable" error={history.error} onRetry={() => void history.refetch()} />
    );
  }
  const times = history.data.map((p) => p.response_ms).filter((v): v is number => v != null);
  if (history.data.length === 0) return <p className="tile__note">No checks in the last 24 hours yet.</p>;
  const label =
    times.length > 0
      ? `${displayName} response time over 24 hours: ${Math.round(Math.min(...times))} to ${Math.round(Math.max(...times))} ms`
      : `${displayName} had no successful checks in the last 24 hours`;
  return (
    <Sparkline
      label={label}
      points={history.data.map((p) => ({ value: p.response_ms, down: p.status === "down" }))}
    />
  );
}

export function ServiceTile({ service }: { service: ServiceStatus }) {
  const titleId = `service-${service.name}`;
  return (
    <article className={`tile tile--${service.status}`} aria-labelledby={titleId} data-testid={`service-tile-${service.name}`} data-status={service.status}>
      <header className="tile__header">
        <h3 id={titleId} className="tile__title">
          {service.display_name || service.name}
        </h3>
        <StatusBadge status={service.status} />
      </header>
      <dl className="tile__facts">
        <div>
          <dt>Response</dt>
          <dd>{formatMs(service.response_ms)}</dd>
        </div>
        <div>
          <dt>Uptime (24 h)</dt>
          <dd>{formatPercent(service.uptime_24h)}</dd>
        </div>
      </dl>
      {service.status !== "disabled" && <ServiceHistory name={service.name} displayName={service.display_name || service.name} />}
      {service.message && service.status !== "up" && <p className="tile__message">{service.message}</p>}
      <p className="tile__note">Checked {formatRelative(service.checked_at)}</p>
    </article>
  );
}

function TileSkeleton() {
  return (
    <div className="tile" aria-hidden="true">
      <Skeleton className="skeleton--line skeleton--short" />
      <Skeleton className="skeleton--line" />
      <Skeleton className="tile__spark-skeleton" />
    </div>
  );
}

export function ServiceTiles() {
  const services = useQuery(statusListQuery());
  if (services.isPending) {
    return (
      <div className="tiles" aria-busy="true" aria-label="Loading services">
        {Array.from({ length: 4 }, (_, i) => (
          <TileSkeleton key={i} />
        ))}
      </div>
    );
  }
  if (services.isError) {
    return <ErrorState title="Service status unavailable" error={services.error} onRetry={() => void services.refetch()} />;
  }
  if (services.data.length === 0) {
    return (
      <EmptyState icon={<Activity size={28} />} title="No services are being watched yet.">
        An admin adds Plex, Overseerr and Uptime Kuma in the admin settings.
      </EmptyState>
    );
  }
  return (
    <div className="tiles">
      {services.data.map((s) => (
        <ErrorBoundary key={s.name} title={`${s.display_name || s.name}: this tile failed`}>
          <ServiceTile service={s} />
        </ErrorBoundary>
      ))}
    </div>
  );
}

export function ServiceDownBanner() {
  const services = useQuery(statusListQuery());
  const down = (services.data ?? []).filter((s) => s.status === "down");
  if (down.length === 0) return null;
  const names = down.map((s) => s.display_name || s.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return (
    <div className="banner banner--danger" role="alert">
      <TriangleAlert size={18} aria-hidden="true" />
      <span>
        {list} {down.length === 1 ? "is" : "are"} down.{" "}
        {down.length === 1 && down[0]?.message ? down[0].message : "Features that depend on it may not work for now."}
      </span>
    </div>
  );
}
