import { Download } from "lucide-react";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";

export function DownloadsPage() {
  return (
    <Page title="Downloads">
      <EmptyState icon={<Download size={32} />} title="This page is coming soon.">
        Paste a YouTube video or playlist link and watch it download into Plex.
      </EmptyState>
    </Page>
  );
}
