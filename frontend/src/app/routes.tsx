import { Compass } from "lucide-react";
import { lazy, Suspense, type ComponentType } from "react";
import { Link, Route, Switch, useLocation } from "wouter";
import { Page } from "../components/layout/Page";
import { EmptyState } from "../components/ui/EmptyState";
import { ErrorBoundary } from "../components/ui/ErrorBoundary";
import { Skeleton, SkeletonText } from "../components/ui/Skeleton";
import { SignInPage } from "../features/auth/SignInPage";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { LiveUpdates } from "./LiveUpdates";
import { RequireAuth } from "./RequireAuth";
import { SetupRedirect } from "./SetupBanner";
import { Shell } from "./Shell";

// Every page but sign-in and the dashboard is its own chunk, fetched on first visit: the first
// load stays small, and a page's code arrives only for those who open it.
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const LibraryPage = page(() => import("../features/library/LibraryPage"), "LibraryPage");
const ItemDetailPage = page(() => import("../features/library/ItemDetailPage"), "ItemDetailPage");
const DiscoverPage = page(() => import("../features/discover/DiscoverPage"), "DiscoverPage");
const RequestsPage = page(() => import("../features/requests/RequestsPage"), "RequestsPage");
const RequestDetailPage = page(() => import("../features/requests/RequestDetailPage"), "RequestDetailPage");
const DownloadsPage = page(() => import("../features/downloads/DownloadsPage"), "DownloadsPage");
const DownloadDetailPage = page(() => import("../features/downloads/DownloadDetailPage"), "DownloadDetailPage");
const NotificationsPage = page(() => import("../features/notifications/NotificationsPage"), "NotificationsPage");
const AdminPage = page(() => import("../features/admin/AdminPage"), "AdminPage");

function NotFoundPage() {
  return (
    <Page title="Page not found">
      <EmptyState icon={<Compass size={32} />} title="There is nothing at this address." action={<Link href="/">Go to the dashboard</Link>} />
    </Page>
  );
}

function PageLoading() {
  return (
    <div className="page" aria-busy="true" aria-label="Loading the page">
      <Skeleton className="page__title-skeleton" />
      <SkeletonText lines={4} />
    </div>
  );
}

function Home() {
  return (
    <>
      <SetupRedirect />
      <DashboardPage />
    </>
  );
}

function Pages() {
  const [path] = useLocation();
  return (
    // Keyed by path, so leaving a broken page clears the error. A chunk that failed to download
    // (say, after an update replaced it) needs a full reload to fetch the new one.
    <ErrorBoundary key={path} title="This page failed to load" onRetry={() => window.location.reload()}>
      <Suspense fallback={<PageLoading />}>
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/library" component={LibraryPage} />
          <Route path="/library/items/:id" component={ItemDetailPage} />
          <Route path="/discover" component={DiscoverPage} />
          <Route path="/requests" component={RequestsPage} />
          <Route path="/requests/:id" component={RequestDetailPage} />
          <Route path="/downloads" component={DownloadsPage} />
          <Route path="/downloads/:id" component={DownloadDetailPage} />
          <Route path="/notifications" component={NotificationsPage} />
          <Route path="/admin" component={AdminPage} />
          <Route path="/admin/*" component={AdminPage} />
          <Route component={NotFoundPage} />
        </Switch>
      </Suspense>
    </ErrorBoundary>
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
            <Pages />
          </Shell>
        </RequireAuth>
      </Route>
    </Switch>
  );
}
