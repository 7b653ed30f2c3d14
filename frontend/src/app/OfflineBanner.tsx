import { WifiOff } from "lucide-react";
import { useSyncExternalStore } from "react";

function subscribeOnline(listener: () => void) {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

export function OfflineBanner() {
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  if (online) return null;
  return (
    <div className="banner banner--warning" role="status">
      <WifiOff size={18} aria-hidden="true" />
      <span>You're offline. What's on screen may be out of date, and changes won't be saved until you reconnect.</span>
    </div>
  );
}
