import { Shield, ShieldOff } from "lucide-react";
import { useCurrentUser } from "../../lib/currentUser";
import { Page } from "../../components/layout/Page";
import { EmptyState } from "../../components/ui/EmptyState";

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
    <Page title="Admin">
      <EmptyState icon={<Shield size={32} />} title="This page is coming soon.">
        Services and webhooks, users, the download queue, the audit log and insights.
      </EmptyState>
    </Page>
  );
}
