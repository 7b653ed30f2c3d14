// Admin → Queue: how many downloads wait, which run on which worker, and whether any worker is
// alive to run them at all.

import { useQuery } from "@tanstack/react-query";
import { CircleCheck, CircleX, ListOrdered } from "lucide-react";
import { Badge } from "../../components/ui/Badge";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { SkeletonText } from "../../components/ui/Skeleton";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { formatRelative } from "../../lib/format";
import { queueQuery, type QueueView } from "../downloads/api";

function Figures({ q }: { q: QueueView }) {
  return (
    <dl className="stats">
      <div className="stat">
        <dt>Waiting</dt>
        <dd>{q.depth}</dd>
      </div>
      <div className="stat">
        <dt>Running</dt>
        <dd>{q.running.length}</dd>
      </div>
      <div className="stat">
        <dt>Workers alive</dt>
        <dd>
          {q.workers_alive}{" "}
          {q.workers_alive === 0 ? (
            <Badge tone="danger" icon={<CircleX className="badge__icon" size={14} aria-hidden="true" />}>
              None
            </Badge>
          ) : (
            <Badge tone="success" icon={<CircleCheck className="badge__icon" size={14} aria-hidden="true" />}>
              OK
            </Badge>
          )}
        </dd>
      </div>
    </dl>
  );
}

export function QueuePanel() {
  const queue = useQuery(queueQuery());
  if (queue.isPending) return <SkeletonText lines={4} />;
  if (queue.isError) {
    return <ErrorState title="The download queue could not be read" error={queue.error} onRetry={() => void queue.refetch()} />;
  }
  const q = queue.data;
  const counts = Object.entries(q.downloads ?? {}).filter(([, n]) => n > 0);
  return (
    <div className="admin-panel" data-testid="admin-queue">
      <Figures q={q} />
      {q.workers_alive === 0 && (
        <p className="banner banner--danger" role="alert">
          No download worker is running, so queued downloads won't start. Start the worker container.
        </p>
      )}
      {counts.length > 0 && (
        <section className="section" aria-labelledby="queue-counts">
          <h2 id="queue-counts" className="section__title">
            Downloads by state
          </h2>
          <ul className="chips">
            {counts.map(([status, n]) => (
              <li key={status} className="queue-count">
                <StatusBadge status={status} /> <span>{n}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="section" aria-labelledby="queue-running">
        <h2 id="queue-running" className="section__title">
          Running now
        </h2>
        {q.running.length === 0 ? (
          <EmptyState icon={<ListOrdered size={28} />} title="Nothing is running." />
        ) : (
          <ul className="card-list">
            {q.running.map((job) => (
              <li key={job.job_id} className="card">
                <p className="card__title">Download {job.download_id ?? job.job_id}</p>
                <p className="card__meta">
                  {job.worker ? `on ${job.worker}` : "no worker named"}
                  {job.started_at ? ` · started ${formatRelative(job.started_at)}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="section" aria-labelledby="queue-workers">
        <h2 id="queue-workers" className="section__title">
          Workers
        </h2>
        {q.workers.length === 0 ? (
          <p className="muted">No worker has reported in.</p>
        ) : (
          <ul className="card-list card-list--grid">
            {q.workers.map((w) => (
              <li key={w.name} className="card">
                <div className="card__row">
                  <p className="card__title">{w.name}</p>
                  <span className="card__meta">{w.state}</span>
                </div>
                <p className="card__meta">
                  {w.current_job ? `working on ${w.current_job}` : "idle"}
                  {w.last_heartbeat ? ` · last seen ${formatRelative(w.last_heartbeat)}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
