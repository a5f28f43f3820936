/**
 * Duplicate captures and retransmissions. When two servers both trace the hop between them, the
 * same bytes reach us twice, from two capture points, a little apart: they are one message.
 * A retransmission (RFC 3261 §17: timer A/G for requests, §13.3.1.4 for 2xx) is a new sending of
 * the message on the same hop: it stays, flagged. Pure.
 */
import type { StoredMessage } from '../store/types.ts';

/** Default folding window, µs: capture points on one LAN see a hop within a few ms of each other. */
export const DEDUP_WINDOW_MICROS = 500_000;

export interface Folded {
  /** The earliest copy: its time and id stand for the message. */
  message: StoredMessage;
  /** Every capture point that saw it, in order of capture. */
  captureIds: string[];
  /** Ids of the other copies. */
  duplicateIds: string[];
  /** Sent again on the same hop and seen from a capture point that had seen it before. */
  retransmission: boolean;
}

/**
 * Folds copies of one message and flags retransmissions. `messages` must be in time order; the
 * result keeps that order (by each message's earliest copy). A copy folds into an earlier message
 * when it has the same source, destination and payload, comes from a capture point that has not
 * seen that message yet, and is at most `windowMicros` later than the earliest copy.
 */
export function foldDuplicates(messages: readonly StoredMessage[], windowMicros: number = DEDUP_WINDOW_MICROS): Folded[] {
  const out: Folded[] = [];
  const open = new Map<string, Folded[]>();
  for (const m of messages) {
    const key = copyKey(m);
    const candidates = open.get(key);
    const hit = candidates?.find((f) => m.ts - f.message.ts <= windowMicros && !f.captureIds.includes(m.captureId) && f.message.raw === m.raw);
    if (hit) {
      hit.captureIds.push(m.captureId);
      hit.duplicateIds.push(m.id);
      continue;
    }
    const f: Folded = { message: m, captureIds: [m.captureId], duplicateIds: [], retransmission: false };
    out.push(f);
    if (candidates) {
      // Entries older than the window can no longer take copies; keep the list short.
      const live = candidates.filter((c) => m.ts - c.message.ts <= windowMicros);
      live.push(f);
      open.set(key, live);
    } else open.set(key, [f]);
  }
  markRetransmissions(out);
  return out;
}

/**
 * Copies of one message share this short key; the payload itself is compared only among the
 * candidates (hashing whole payloads as map keys costs more than the rest of the group view).
 */
function copyKey(m: StoredMessage): string {
  return `${m.srcIp}\u0000${m.srcPort}\u0000${m.dstIp}\u0000${m.dstPort}\u0000${m.raw.length}\u0000${m.callId}\u0000${m.viaBranch}`;
}

/**
 * Same Call-ID, CSeq, method or status, top Via branch and hop as an earlier message, seen by a
 * capture point that saw the earlier one. Messages without CSeq (logs, RTCP) are never flagged.
 */
function markRetransmissions(folded: Folded[]): void {
  const seen = new Map<string, Set<string>>();
  for (const f of folded) {
    const m = f.message;
    if (m.cseqNum === null) continue;
    const key = [m.callId, m.cseqNum, m.cseqMethod, m.method ?? m.status, m.viaBranch, m.srcIp, m.srcPort, m.dstIp, m.dstPort].join('\u0000');
    const points = seen.get(key);
    if (points) {
      f.retransmission = f.captureIds.some((c) => points.has(c));
      for (const c of f.captureIds) points.add(c);
    } else seen.set(key, new Set(f.captureIds));
  }
}
