/**
 * IP fragment reassembly for IPv4 (RFC 791 §3.2) and the IPv6 fragment header (RFC 8200 §4.5).
 * Buffers are bounded in count and size, and expire by capture time, not wall-clock time.
 */
import type { IpFragment } from './ip.ts';
import type { SkipReason } from './skip.ts';

export interface ReassemblyLimits {
  /** Datagrams waiting for fragments at once; the oldest is dropped beyond this. */
  maxDatagrams: number;
  /** Largest datagram payload, bytes: 65535 is the IPv4/IPv6 (non-jumbo) maximum. */
  maxDatagramBytes: number;
  /** A datagram incomplete this long after its first fragment is dropped, µs of capture time. */
  timeoutUs: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = {
  maxDatagrams: 4096,
  maxDatagramBytes: 65535,
  // Linux net.ipv4.ipfrag_time and net.ipv6.ip6frag_time default to 30 s.
  timeoutUs: 30_000_000,
};

interface Pending {
  firstTs: number;
  parts: { offset: number; data: Buffer }[];
  bytes: number;
  /** Datagram payload length, known once the last fragment (MF = 0) arrived; -1 before. */
  total: number;
}

export class FragmentReassembler {
  private pending = new Map<string, Pending>();

  constructor(
    private readonly limits: ReassemblyLimits,
    private readonly onSkip: (reason: SkipReason, n: number) => void,
  ) {}

  /** Datagrams currently waiting for fragments. */
  get size(): number {
    return this.pending.size;
  }

  /** Adds one fragment (ts in µs). Returns the whole datagram payload once every byte arrived. */
  add(frag: IpFragment, payload: Buffer, ts: number): Buffer | null {
    this.expire(ts);
    let entry = this.pending.get(frag.key);
    if (!entry) {
      if (this.pending.size >= this.limits.maxDatagrams) this.dropOldest('fragment-overflow');
      entry = { firstTs: ts, parts: [], bytes: 0, total: -1 };
      this.pending.set(frag.key, entry);
    }
    // Copy: the payload is a view into a read chunk that should not stay pinned.
    entry.parts.push({ offset: frag.offset, data: Buffer.from(payload) });
    entry.bytes += payload.length;
    if (!frag.more) entry.total = frag.offset + payload.length;
    if (frag.offset + payload.length > this.limits.maxDatagramBytes || entry.bytes > 2 * this.limits.maxDatagramBytes) {
      this.drop(frag.key, entry, 'fragment-overflow');
      return null;
    }
    if (entry.total < 0) return null;
    const whole = assemble(entry);
    if (whole) this.pending.delete(frag.key);
    return whole;
  }

  /** Ends the capture: whatever is still incomplete is counted as skipped. */
  finish(): void {
    for (const [key, entry] of this.pending) this.drop(key, entry, 'fragment-incomplete');
  }

  /** Map order is arrival order, and capture time mostly grows, so the oldest sit in front. */
  private expire(now: number): void {
    for (const [key, entry] of this.pending) {
      if (entry.firstTs >= now - this.limits.timeoutUs) break;
      this.drop(key, entry, 'fragment-expired');
    }
  }

  private dropOldest(reason: SkipReason): void {
    const first = this.pending.entries().next();
    if (!first.done) this.drop(first.value[0], first.value[1], reason);
  }

  private drop(key: string, entry: Pending, reason: SkipReason): void {
    this.pending.delete(key);
    this.onSkip(reason, entry.parts.length);
  }
}

/** Joins the parts when they cover [0, total) without a hole; null otherwise. Later copies win overlaps. */
function assemble(entry: Pending): Buffer | null {
  const parts = [...entry.parts].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const p of parts) {
    if (p.offset > covered) return null;
    covered = Math.max(covered, p.offset + p.data.length);
  }
  if (covered < entry.total) return null;
  const out = Buffer.alloc(entry.total);
  for (const p of entry.parts) p.data.copy(out, p.offset, 0, Math.max(0, Math.min(p.data.length, entry.total - p.offset)));
  return out;
}
