import { Inbox } from "lucide-react";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";

export function RequestsPage() {
  return (
    <Page title="My requests">
      <EmptyState icon={<Inbox size={32} />} title="This page is coming soon.">
        Follow your requests until they are available in Plex.
      </EmptyState>
    </Page>
  );
}
