/**
 * One live stream: tells its client when what it shows changed ("notify, then fetch"). The client
 * fetches through the usual API, so an event carries no data and a missed one only delays.
 *
 * Events (SSE, sse.ts), each with the hub's event id:
 * - `ready`: connected, nothing to fetch (the client's data is current);
 * - `change`: fetch again (data `{"resync":true}` when the changes since the client's last event
 *   id are no longer known, e.g. after a restart: refetch everything shown).
 * On connect without a last event id, changes of the last LIVE_HELLO_LOOKBACK_MS count (the
 * client's first fetch may have been answered just before they landed).
 */
import { LIVE_HEARTBEAT_MS, LIVE_HELLO_LOOKBACK_MS, LIVE_RETRY_MS } from '../config.ts';
import type { HubEvent, LiveHub, Tick } from './hub.ts';
import { sseFrame } from './sse.ts';
import { hits, type Watch } from './watch.ts';

export interface Sink {
  readonly open: boolean;
  write(frame: string): boolean;
  /** Drops the client if it stopped reading. */
  check(): unknown;
  close(): void;
}

export interface SessionOptions {
  hub: LiveHub;
  sink: Sink;
  /** Reads what to watch; for a group, again after each change (a leg may have joined). */
  resolve(): Promise<Watch>;
  /** Read the watch again after each change it saw. */
  reresolve: boolean;
  /** The watch matches search terms (a filtered search list): batches' terms must be read. */
  terms?: boolean;
  /** Fewest ms between two `change` events (0: each tick). */
  minIntervalMs: number;
  /**
   * Changes go out on whole multiples of minIntervalMs of the clock (beats), at most one a beat,
   * instead of minIntervalMs after the last: streams that watch the same thing are then told
   * together, and their clients' refetches can share one answer (page-share.ts).
   */
  aligned?: boolean;
  /** The Last-Event-ID the client sent, when it resumes. */
  lastEventId?: string;
  heartbeatMs?: number;
  lookbackMs?: number;
}

export class LiveSession {
  private watch: Watch | null = null;
  /** Ticks seen while the watch is being read; matched against it once it is in. */
  private queued: Tick[] | null = [];
  private started = false;
  /** A change is owed to the client. */
  private dirty = false;
  private resync = false;
  /** A change came while the watch was being read: read it again once that read is done. */
  private again = false;
  private lastSentAt = 0;
  private sendTimer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unlisten: () => void;
  private stopped = false;

  constructor(private readonly o: SessionOptions) {
    this.unlisten = o.hub.listen((e) => this.onEvent(e), o.terms);
    this.heartbeat = setInterval(() => this.beat(), o.heartbeatMs ?? LIVE_HEARTBEAT_MS);
  }

  /** Reads the watch and tells the client whether to fetch; resolves when the first event is written. */
  async start(): Promise<void> {
    const { hub, lastEventId } = this.o;
    const openedAt = Date.now();
    this.o.sink.write(sseFrame({ retryMs: LIVE_RETRY_MS, comment: 'hepflow live' }));
    await this.refresh();
    if (this.stopped || !this.watch) return;
    const w = this.watch;
    if (lastEventId !== undefined) {
      const from = hub.seqOf(lastEventId);
      const missed = from === null ? null : hub.since(from);
      if (missed === null) this.resync = true;
      if (missed === null || missed.some((t) => hits(w, t))) this.dirty = true;
    } else {
      const since = openedAt - (this.o.lookbackMs ?? LIVE_HELLO_LOOKBACK_MS);
      if (hub.unreadSince(since) || hub.recent(since).some((t) => hits(w, t))) this.dirty = true;
    }
    this.started = true;
    if (this.dirty) this.emit();
    else this.o.sink.write(sseFrame({ event: 'ready', id: hub.eventId(hub.lastSeq), data: '{}' }));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unlisten();
    clearInterval(this.heartbeat);
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.o.sink.close();
  }

  private onEvent(e: HubEvent): void {
    if (e.kind === 'gap') {
      this.resync = true;
      this.dirty = true;
    } else {
      this.queued?.push(e.tick);
      if (this.watch && hits(this.watch, e.tick)) this.dirty = true;
    }
    if (this.started && this.dirty) this.emit();
  }

  /** Reads the watch; ticks that arrive meanwhile are matched against the new one too. */
  private async refresh(): Promise<void> {
    this.queued = [];
    try {
      const w = await this.o.resolve();
      if (this.stopped) return;
      if (this.queued.some((t) => hits(w, t))) this.dirty = true;
      this.watch = w;
    } catch {
      // Keep the watch we had: a failed read must not end the stream. The first read has none:
      // then any tick counts until a read succeeds.
      this.watch ??= { kind: 'calls', to: null, match: null };
    } finally {
      this.queued = null;
    }
    if (this.again && !this.stopped) {
      this.again = false;
      return this.refresh();
    }
    if (this.started && this.dirty) this.emit();
  }

  /** Sends `change` now, or once minIntervalMs has passed since the last one (aligned: on the next beat). */
  private emit(): void {
    if (this.stopped || this.sendTimer) return;
    const now = Date.now();
    const { minIntervalMs: every, aligned } = this.o;
    // Aligned: always on a beat, and not twice in one, so that streams told of one change at
    // different moments, or quiet until then, are all told on the same beat.
    const due = aligned && every > 0
      ? Math.max(Math.ceil(now / every), Math.floor(this.lastSentAt / every) + 1) * every
      : this.lastSentAt + every;
    if (due > now) {
      this.sendTimer = setTimeout(() => {
        this.sendTimer = null;
        if (this.dirty) this.send();
      }, due - now);
      return;
    }
    this.send();
  }

  private send(): void {
    if (this.stopped) return;
    const { hub, sink } = this.o;
    const data = this.resync ? '{"resync":true}' : '{}';
    this.dirty = false;
    this.resync = false;
    this.lastSentAt = Date.now();
    if (!sink.write(sseFrame({ event: 'change', id: hub.eventId(hub.lastSeq), data }))) return this.stop();
    // A leg may have joined: watch its ids too.
    if (!this.o.reresolve) return;
    if (this.queued === null) void this.refresh();
    else this.again = true;
  }

  /**
   * Keeps proxies from closing an idle stream and finds clients that stopped reading. When nothing
   * is owed, it also moves the client's last event id forward, so that a reconnect replays little.
   */
  private beat(): void {
    const { hub, sink } = this.o;
    if (!sink.open) return this.stop();
    const settled = this.started && !this.dirty && this.queued === null && !this.sendTimer;
    const frame = settled ? sseFrame({ comment: 'ping', id: hub.eventId(hub.lastSeq) }) : sseFrame({ comment: 'ping' });
    if (!sink.write(frame)) this.stop();
  }
}
