/**
 * Who gets a HEP TCP slot: the decision at accept, apart from the sockets (tcp.ts) so that it can
 * be tested alone. Pure.
 *
 * A sender earns its slot by delivering complete HEP frames. At the connection limit a new
 * connection takes the slot of the one that has gone longest without a complete frame, provided
 * that one has been silent (in frames) for at least `evictAfterMs`: a real sender (OpenSIPS,
 * Kamailio) sends frames continuously, so it is never the one evicted by connections that only
 * trickle bytes, and a connection that just opened gets time to deliver its first frame. When
 * every open connection delivered a frame within `evictAfterMs`, the new one is refused.
 */

export interface Slot {
  /** Remote address, without port. */
  address: string;
  /** When its last complete frame arrived, or when it connected if none did yet, ms since the epoch. */
  lastFrameAt: number;
}

export interface SlotLimits {
  maxConnections: number;
  /** Connections from one address at most: one host cannot take every slot. */
  maxPerAddress: number;
  /** Silence (no complete frame) after which an open connection may be evicted, ms. */
  evictAfterMs: number;
}

export type Admission<S extends Slot> =
  | { action: 'accept' }
  | { action: 'evict'; victim: S }
  | { action: 'refuse'; reason: 'per-address' | 'full' };

/** How long `s` has gone without a complete frame at `now`, ms. */
export function idleSince(s: Slot, now: number): number {
  return now - s.lastFrameAt;
}

/** What to do with a new connection from `address` at `now` (ms), given the open ones. O(open). */
export function admit<S extends Slot>(open: readonly S[], address: string, now: number, limits: SlotLimits): Admission<S> {
  let fromAddress = 0;
  let victim: S | null = null;
  for (const s of open) {
    if (s.address === address) fromAddress++;
    if (!victim || s.lastFrameAt < victim.lastFrameAt) victim = s;
  }
  if (fromAddress >= limits.maxPerAddress) return { action: 'refuse', reason: 'per-address' };
  if (open.length < limits.maxConnections) return { action: 'accept' };
  if (victim && idleSince(victim, now) >= limits.evictAfterMs) return { action: 'evict', victim };
  return { action: 'refuse', reason: 'full' };
}
