import { ScrollText } from "lucide-react";
import { EmptyState } from "../../components/ui/EmptyState";

/** Admin changes are recorded on the server, but the API has no route to read them yet. */
export function AuditPanel() {
  return (
    <EmptyState icon={<ScrollText size={32} />} title="The audit log can't be shown yet.">
      MediaNest records every admin change (settings, users, webhook secrets), but the API has no route to read the log
      yet. Until it does, ask whoever runs the server to look it up in the database.
    </EmptyState>
  );
}
