import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { toast } from "../components/ui/Toaster";
import { createLiveEventDispatcher } from "../lib/liveEvents";
import { LiveSocket, socketUrl, type Topic } from "../lib/socket";
import { useCurrentUser } from "../lib/currentUser";

/** Opens the tab's one socket while someone is signed in and feeds its events into the cache. */
export function LiveUpdates() {
  const client = useQueryClient();
  const { id, role } = useCurrentUser();

  useEffect(() => {
    const live = createLiveEventDispatcher(client, {
      onNotice: (notice) => toast({ title: notice.title, body: notice.body, tone: notice.tone }),
    });
    const topics: Topic[] = role === "admin" ? ["status", "downloads", "admin"] : ["status", "downloads"];
    const socket = new LiveSocket({
      url: socketUrl(),
      topics,
      onEvent: live.dispatch,
      onOpen: (reconnected) => {
        if (reconnected) live.reconnected();
      },
      onDrop: live.dropped,
    });
    socket.start();
    return () => socket.stop();
  }, [client, id, role]);

  return null;
}
