/**
 * The live change log of one web process: keys of written batches (keys.ts) go out as numbered
 * ticks to every listener (the open live streams), right after they are stored (batches stored
 * in one turn of the event loop share a tick). Each stream limits its own rate (session.ts): a
 * stream whose group changed a while ago is told at once, instead of waiting for a shared
 * timer's next round (which cost a probe 100 ms on average, 200 at worst: bench/live).
 * Recent ticks are kept, up to LIVE_REPLAY_MAX_KEYS keys, so that a stream that reconnects with
 * its last event id is told what it missed instead of refetching everything.
 *
 * Event ids are "<boot>-<seq>": seq grows by one a tick, and boot changes with each process, so
 * that an id from before a restart (or from another web process) is never taken for a recent one.
 */
import { randomBytes } from 'node:crypto';
import { LIVE_REPLAY_MAX_KEYS } from '../config.ts';
import type { EpochMicros } from '../store/types.ts';
import type { Touched } from './keys.ts';

export interface Tick {
  seq: number;
  /** Date.now() when it went out. */
  at: number;
  keys: ReadonlySet<number>;
  /** Search-term keys (keys.ts termKey) of the batches; null when some batch's were not read. */
  terms: ReadonlySet<number> | null;
  /** A message of the batches names another id (it may have joined two groups). */
  linked: boolean;
  /** Earliest message time among the batches, µs. */
  minTs: EpochMicros;
}

/** What a listener is told: a tick, or that changes may have been missed (the database feed dropped). */
export type HubEvent = { kind: 'tick'; tick: Tick } | { kind: 'gap'; seq: number };

export interface HubOptions {
  /** Fewest ms between two ticks (default 0: the next turn); tests flush by hand. */
  coalesceMs?: number;
  maxReplayKeys?: number;
}

export class LiveHub {
  readonly boot = randomBytes(4).toString('hex');
  private seq = 0;
  /** Ticks after this seq were all kept; a resume from before it is a gap. */
  private keptFrom = 0;
  private pending = new Set<number>();
  private pendingTerms: Set<number> | null = new Set<number>();
  private pendingLinked = false;
  private pendingMinTs = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  /** Date.now() of the last tick. */
  private lastFlushAt = 0;
  /** Date.now() when a batch was last stored unread (nobody listened, ChangeFeed.unread). */
  private unreadAt = 0;
  private readonly ring: Tick[] = [];
  private ringKeys = 0;
  private readonly listeners = new Set<(e: HubEvent) => void>();
  /** Listeners that match search terms (filtered search lists). */
  private termListeners = 0;
  private readonly coalesceMs: number;
  private readonly maxReplayKeys: number;

  constructor(o: HubOptions = {}) {
    this.coalesceMs = o.coalesceMs ?? 0;
    this.maxReplayKeys = o.maxReplayKeys ?? LIVE_REPLAY_MAX_KEYS;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The event id of seq `seq`. */
  eventId(seq: number): string {
    return `${this.boot}-${seq}`;
  }

  /** The seq an event id of this process names, null for another process's or a malformed one. */
  seqOf(eventId: string | undefined): number | null {
    if (!eventId) return null;
    const dash = eventId.lastIndexOf('-');
    if (dash < 0 || eventId.slice(0, dash) !== this.boot) return null;
    const n = Number(eventId.slice(dash + 1));
    return Number.isSafeInteger(n) && n >= 0 && n <= this.seq ? n : null;
  }

  /**
   * Keys of a written batch; they go out with the next tick: on the next turn when none went out
   * for coalesceMs (batches written together still share it), else when coalesceMs have passed.
   */
  publish(t: Touched): void {
    for (const k of t.keys) this.pending.add(k);
    if (t.terms === null) this.pendingTerms = null;
    else if (this.pendingTerms) for (const k of t.terms) this.pendingTerms.add(k);
    if (t.linked) this.pendingLinked = true;
    if (t.minTs < this.pendingMinTs) this.pendingMinTs = t.minTs;
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushAt + this.coalesceMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Changes may have been missed (the feed from the database dropped): every listener resyncs. */
  gap(): void {
    this.seq++;
    this.keptFrom = this.seq;
    this.ring.length = 0;
    this.ringKeys = 0;
    for (const l of this.listeners) l({ kind: 'gap', seq: this.seq });
  }

  /**
   * A batch was stored while nobody listened, so its keys were not read: a stream that resumes
   * from before it resyncs, and one opened soon after fetches once (session.ts, hello).
   */
  unread(): void {
    this.unreadAt = Date.now();
    if (this.ring.length || this.keptFrom !== this.seq) this.gap();
  }

  /** Whether a batch was stored unread at `at` ms or later. */
  unreadSince(at: number): boolean {
    return this.unreadAt >= at;
  }

  /** Sends what was gathered now (the timer does it after coalesceMs). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0 && this.pendingTerms?.size === 0) return;
    this.lastFlushAt = Date.now();
    const tick: Tick = {
      seq: ++this.seq, at: this.lastFlushAt, keys: this.pending, terms: this.pendingTerms, linked: this.pendingLinked, minTs: this.pendingMinTs,
    };
    this.pending = new Set();
    this.pendingTerms = new Set();
    this.pendingLinked = false;
    this.pendingMinTs = Number.POSITIVE_INFINITY;
    this.ring.push(tick);
    this.ringKeys += tick.keys.size + (tick.terms?.size ?? 0);
    while (this.ringKeys > this.maxReplayKeys && this.ring.length > 1) {
      const old = this.ring.shift()!;
      this.ringKeys -= old.keys.size + (old.terms?.size ?? 0);
      this.keptFrom = old.seq;
    }
    for (const l of this.listeners) l({ kind: 'tick', tick });
  }

  /** Ticks after `seq`, oldest first; null when some of them are no longer kept (the caller resyncs). */
  since(seq: number): Tick[] | null {
    if (seq < this.keptFrom) return null;
    return this.ring.filter((t) => t.seq > seq);
  }

  /** Ticks that went out at `at` ms or later. */
  recent(at: number): Tick[] {
    return this.ring.filter((t) => t.at >= at);
  }

  /** `terms`: the listener matches search terms, so batches' terms must be read (keys.ts touchedBy). */
  listen(l: (e: HubEvent) => void, terms = false): () => void {
    this.listeners.add(l);
    if (terms) this.termListeners++;
    return () => {
      if (this.listeners.delete(l) && terms) this.termListeners--;
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Whether a listener matches search terms. */
  get termsWanted(): boolean {
    return this.termListeners > 0;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
    this.termListeners = 0;
  }
}
