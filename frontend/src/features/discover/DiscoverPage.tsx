import { Compass } from "lucide-react";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";

export function DiscoverPage() {
  return (
    <Page title="Discover">
      <EmptyState icon={<Compass size={32} />} title="This page is coming soon.">
        Search for films and shows and request them.
      </EmptyState>
    </Page>
  );
}
