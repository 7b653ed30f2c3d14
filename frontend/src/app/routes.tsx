import { Compass } from "lucide-react";
import { Link, Route, Switch } from "wouter";
import { Page } from "../components/layout/Page";
import { EmptyState } from "../components/ui/EmptyState";
import { AdminPage } from "../features/admin/AdminPage";
import { SignInPage } from "../features/auth/SignInPage";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { DiscoverPage } from "../features/discover/DiscoverPage";
import { DownloadsPage } from "../features/downloads/DownloadsPage";
import { LibraryPage } from "../features/library/LibraryPage";
import { RequestsPage } from "../features/requests/RequestsPage";
import { LiveUpdates } from "./LiveUpdates";
import { RequireAuth } from "./RequireAuth";
import { Shell } from "./Shell";

function NotFoundPage() {
  return (
    <Page title="Page not found">
      <EmptyState icon={<Compass size={32} />} title="There is nothing at this address." action={<Link href="/">Go to the dashboard</Link>} />
    </Page>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/signin" component={SignInPage} />
      <Route>
        <RequireAuth>
          <LiveUpdates />
          <Shell>
            <Switch>
              <Route path="/" component={DashboardPage} />
              <Route path="/library" component={LibraryPage} />
              <Route path="/library/*" component={LibraryPage} />
              <Route path="/discover" component={DiscoverPage} />
              <Route path="/requests" component={RequestsPage} />
              <Route path="/downloads" component={DownloadsPage} />
              <Route path="/admin" component={AdminPage} />
              <Route path="/admin/*" component={AdminPage} />
              <Route component={NotFoundPage} />
            </Switch>
          </Shell>
        </RequireAuth>
      </Route>
    </Switch>
  );
}
