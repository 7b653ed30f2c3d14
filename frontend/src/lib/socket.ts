// One reconnecting WebSocket per tab. It (re)subscribes to its topics after every open and hands
// each server event to a callback; what an event does to the cache lives in liveEvents.ts.

export type Topic = "status" | "downloads" | "admin";

export interface ServerEvent {
  type: string;
  topic?: string;
  data?: unknown;
  at?: string;
}

export interface LiveSocketOptions {
  url: string;
  topics: Topic[];
  onEvent: (event: ServerEvent) => void;
  /** `reconnected` is false on the first open and true on every later one. */
  onOpen?: (reconnected: boolean) => void;
  /** Called when an open connection drops (not on each failed reconnect attempt). */
  onDrop?: () => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  WebSocketImpl?: typeof WebSocket;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that a server restart does not get every tab back at once.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function socketUrl(loc: Pick<Location, "protocol" | "host"> = window.location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws`;
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private everOpened = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly topics: Set<Topic>;

  constructor(private readonly opts: LiveSocketOptions) {
    this.topics = new Set(opts.topics);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener("online", this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "client stopped");
  }

  subscribe(topic: Topic): void {
    if (this.topics.has(topic)) return;
    this.topics.add(topic);
    this.send({ type: "subscribe", topic });
  }

  private send(message: object): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(message));
  }

  private connect(): void {
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    let opened = false;
    const ws = new Impl(this.opts.url);
    this.ws = ws;

    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      for (const topic of this.topics) this.send({ type: "subscribe", topic });
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.opts.onOpen?.(reconnected);
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== "string") return;
      let event: unknown;
      try {
        event = JSON.parse(msg.data);
      } catch {
        return; // a malformed frame is dropped; the next event carries the current state again
      }
      if (event && typeof event === "object" && typeof (event as ServerEvent).type === "string") {
        this.opts.onEvent(event as ServerEvent);
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return; // a stale socket from before stop() or reconnectNow()
      this.ws = null;
      if (opened) this.opts.onDrop?.();
      this.scheduleReconnect();
    };
    // Errors are always followed by close, which does the work.
    ws.onerror = () => {};
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(
      this.attempt,
      this.opts.minDelayMs ?? 1000,
      this.opts.maxDelayMs ?? 30_000,
      this.opts.random ?? Math.random,
    );
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  /** The network came back: skip the rest of the backoff wait. */
  private reconnectNow = (): void => {
    if (this.stopped || this.ws || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };
}
