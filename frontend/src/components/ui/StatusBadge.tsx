// Every status in the app, shown the same way: colour + icon + word, so colour is never the only
// signal (colour-blind users, monochrome screens).

import {
  Ban,
  CircleCheck,
  CircleDashed,
  CircleHelp,
  CircleMinus,
  CircleX,
  Clock,
  Download,
  LoaderCircle,
  TriangleAlert,
  type LucideIcon,
} from "lucide-react";
import type { DownloadState, RequestState, ServiceState } from "../../lib/types";
import { Badge, type Tone } from "./Badge";

export type AnyStatus = ServiceState | RequestState | DownloadState;

const LOOK: Record<AnyStatus, { tone: Tone; Icon: LucideIcon; word: string }> = {
  up: { tone: "success", Icon: CircleCheck, word: "Up" },
  down: { tone: "danger", Icon: CircleX, word: "Down" },
  degraded: { tone: "warning", Icon: TriangleAlert, word: "Degraded" },
  unknown: { tone: "neutral", Icon: CircleHelp, word: "Unknown" },
  disabled: { tone: "neutral", Icon: CircleMinus, word: "Disabled" },
  pending: { tone: "warning", Icon: Clock, word: "Pending" },
  approved: { tone: "info", Icon: CircleCheck, word: "Approved" },
  declined: { tone: "danger", Icon: Ban, word: "Declined" },
  processing: { tone: "info", Icon: LoaderCircle, word: "Processing" },
  partially_available: { tone: "accent", Icon: CircleDashed, word: "Partly available" },
  available: { tone: "success", Icon: CircleCheck, word: "Available" },
  failed: { tone: "danger", Icon: CircleX, word: "Failed" },
  queued: { tone: "neutral", Icon: Clock, word: "Queued" },
  downloading: { tone: "info", Icon: Download, word: "Downloading" },
  completed: { tone: "success", Icon: CircleCheck, word: "Completed" },
  cancelled: { tone: "neutral", Icon: Ban, word: "Cancelled" },
};

export function statusLook(status: string) {
  return LOOK[status as AnyStatus] ?? { tone: "neutral" as Tone, Icon: CircleHelp, word: status || "Unknown" };
}

export function StatusBadge({ status }: { status: AnyStatus | string }) {
  const { tone, Icon, word } = statusLook(status);
  return (
    <Badge tone={tone} icon={<Icon className="badge__icon" size={14} aria-hidden="true" data-status-icon={status} />}>
      {word}
    </Badge>
  );
}
