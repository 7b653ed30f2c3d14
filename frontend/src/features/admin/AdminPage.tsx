import { ShieldOff } from "lucide-react";
import { lazy, Suspense } from "react";
import { Route, Switch } from "wouter";
import { Page } from "../../components/layout/Page";
import { SubNav } from "../../components/layout/SubNav";
import { EmptyState } from "../../components/ui/EmptyState";
import { ErrorBoundary } from "../../components/ui/ErrorBoundary";
import { Skeleton } from "../../components/ui/Skeleton";
import { useCurrentUser } from "../../lib/currentUser";
import { AuditPanel } from "./AuditPanel";
import { QueuePanel } from "./QueuePanel";
import { ServicesPanel } from "./ServicesPanel";
import { SetupPage } from "./SetupPage";
import { UsersPanel } from "./UsersPanel";

// The charts are only needed on this tab: a chunk of their own.
const InsightsPanel = lazy(() => import("./InsightsPanel").then((m) => ({ default: m.InsightsPanel })));

const TABS = [
  // "/admin/services" is where service alerts link to.
  { href: "/admin", label: "Services", exact: true, aliases: ["/admin/services"] },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/queue", label: "Queue" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/insights", label: "Insights" },
];

export function AdminPage() {
  const user = useCurrentUser();
  if (user.role !== "admin") {
    return (
      <Page title="Admin">
        <EmptyState icon={<ShieldOff size={32} />} title="This page is for admins.">
          Ask an admin if you need a setting changed.
        </EmptyState>
      </Page>
    );
  }
  return (
    <Switch>
      <Route path="/admin/setup" component={SetupPage} />
      <Route>
        <Page title="Admin">
          <SubNav label="Admin sections" items={TABS} />
          <ErrorBoundary>
            <Switch>
              <Route path="/admin/users" component={UsersPanel} />
              <Route path="/admin/queue" component={QueuePanel} />
              <Route path="/admin/audit" component={AuditPanel} />
              <Route path="/admin/insights">
                <Suspense fallback={<Skeleton className="chart__skeleton" label="Loading insights" />}>
                  <InsightsPanel />
                </Suspense>
              </Route>
              <Route component={ServicesPanel} />
            </Switch>
          </ErrorBoundary>
        </Page>
      </Route>
    </Switch>
  );
}
