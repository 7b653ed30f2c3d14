import { Library } from "lucide-react";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";

export function LibraryPage() {
  return (
    <Page title="Library">
      <EmptyState icon={<Library size={32} />} title="This page is coming soon.">
        Browse the Plex library by section, with search, sorting and item details.
      </EmptyState>
    </Page>
  );
}
