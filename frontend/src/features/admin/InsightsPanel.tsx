// Admin → Insights: who uses MediaNest and how well the services hold up, over the last N days.
// Loaded only when this tab opens (its own chunk), so the charts cost nothing elsewhere.

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChartLine } from "lucide-react";
import { useState } from "react";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorState } from "../../components/ui/ErrorState";
import { Skeleton } from "../../components/ui/Skeleton";
import { formatBytes, formatDuration, plural } from "../../lib/format";
import { insightsQuery, type Insights } from "./api";
import { BarList, LineChart, type Series } from "./charts";

const RANGES = [7, 30, 90, 365];

/** Rows keyed by day, laid on one shared, sorted day axis. */
function onDays<T extends { day: string }>(days: string[], rows: T[], value: (row: T) => number | null): (number | null)[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return days.map((d) => {
    const row = byDay.get(d);
    return row ? value(row) : null;
  });
}

export function dayAxis(...lists: { day: string }[][]): string[] {
  return [...new Set(lists.flat().map((r) => r.day))].sort((a, b) => Date.parse(a) - Date.parse(b));
}

function availabilitySeries(data: Insights, days: string[]): Series[] {
  const services = [...new Set(data.availability.map((a) => a.service))].sort();
  return services.map((service) => ({
    name: service,
    values: onDays(days, data.availability.filter((a) => a.service === service), (r) => r.availability * 100),
  }));
}

function Charts({ data }: { data: Insights }) {
  const activity = dayAxis(data.daily_active_users, data.requests, data.queue_wait);
  const availDays = dayAxis(data.availability);
  const empty =
    activity.length === 0 && availDays.length === 0 && data.downloads_per_user.length === 0;
  if (empty) {
    return (
      <EmptyState icon={<ChartLine size={28} />} title="Nothing to chart yet.">
        Charts fill in as people sign in, request and download, and as service checks run.
      </EmptyState>
    );
  }
  return (
    <div className="charts">
      <LineChart
        label="Active users per day"
        days={activity}
        series={[{ name: "Users", values: onDays(activity, data.daily_active_users, (r) => r.users) }]}
      />
      <LineChart
        label="Requests per day"
        days={activity}
        series={[
          { name: "Submitted", values: onDays(activity, data.requests, (r) => r.submitted) },
          { name: "Became available", values: onDays(activity, data.requests, (r) => r.completed) },
        ]}
      />
      <LineChart
        label="Time downloads waited in the queue"
        days={activity}
        format={(v) => formatDuration(v)}
        series={[
          { name: "Average", values: onDays(activity, data.queue_wait, (r) => r.mean_seconds) },
          { name: "Longest", values: onDays(activity, data.queue_wait, (r) => r.max_seconds) },
        ]}
      />
      {availDays.length > 0 && (
        <LineChart
          label="Service availability per day"
          days={availDays}
          max={100}
          format={(v) => `${Math.round(v)}%`}
          series={availabilitySeries(data, availDays)}
        />
      )}
      {data.downloads_per_user.length > 0 && (
        <BarList
          label="Downloads per person"
          format={formatBytes}
          rows={data.downloads_per_user.map((u) => ({
            key: u.user_id,
            name: u.username,
            value: u.bytes,
            note: plural(u.downloads, "download"),
          }))}
        />
      )}
    </div>
  );
}

export function InsightsPanel() {
  const [days, setDays] = useState(30);
  const insights = useQuery({ ...insightsQuery(days), placeholderData: keepPreviousData });
  return (
    <section className="section" aria-labelledby="admin-insights" data-testid="admin-insights">
      <div className="section__head">
        <h2 id="admin-insights" className="section__title">
          Insights
        </h2>
        <label className="field field--inline">
          <span className="field__label">Period</span>
          <select className="input input--sm" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {RANGES.map((d) => (
              <option key={d} value={d}>
                Last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {insights.isPending ? (
        <div className="charts" aria-busy="true" aria-label="Loading insights">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="chart__skeleton" />
          ))}
        </div>
      ) : insights.isError ? (
        <ErrorState title="Insights could not be loaded" error={insights.error} onRetry={() => void insights.refetch()} />
      ) : (
        <Charts data={insights.data} />
      )}
    </section>
  );
}
