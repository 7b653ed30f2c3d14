import { Link } from "wouter";
import { Page } from "../../components/layout/Page";
import { MyDownloads, MyRequests } from "./MyActivity";
import { RecentlyAdded } from "./RecentlyAdded";
import { ServiceDownBanner, ServiceTiles } from "./ServiceTiles";

export function DashboardPage() {
  return (
    <Page title="Dashboard">
      <ServiceDownBanner />
      <section className="section" aria-labelledby="dash-services">
        <h2 id="dash-services" className="section__title">
          Services
        </h2>
        <ServiceTiles />
      </section>
      <section className="section" aria-labelledby="dash-recent">
        <div className="section__head">
          <h2 id="dash-recent" className="section__title">
            Recently added
          </h2>
          <Link href="/library" className="section__link">
            Open the library
          </Link>
        </div>
        <RecentlyAdded />
      </section>
      <div className="columns">
        <section className="section panel" aria-labelledby="dash-downloads">
          <div className="section__head">
            <h2 id="dash-downloads" className="section__title">
              My active downloads
            </h2>
            <Link href="/downloads" className="section__link">
              All downloads
            </Link>
          </div>
          <MyDownloads />
        </section>
        <section className="section panel" aria-labelledby="dash-requests">
          <div className="section__head">
            <h2 id="dash-requests" className="section__title">
              My requests
            </h2>
            <Link href="/requests" className="section__link">
              All requests
            </Link>
          </div>
          <MyRequests />
        </section>
      </div>
    </Page>
  );
}
