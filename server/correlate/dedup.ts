/**
 * Duplicate captures and retransmissions. When two servers both trace the hop between them, the
 * same bytes reach us twice, from two capture points, a little apart: they are one message.
 * A retransmission (RFC 3261 §17: timer A/G for requests, §13.3.1.4 for 2xx) is a new sending of
 * the message on the same hop: it stays, flagged. Pure.
 */
import type { MessageMeta } from '../store/types.ts';

/** Default folding window, µs: capture points on one LAN see a hop within a few ms of each other. */
export const DEDUP_WINDOW_MICROS = 500_000;

export interface Folded {
  /** The earliest copy: its time and id stand for the message. */
  message: MessageMeta;
  /** Every capture point that saw it, in order of capture. */
  captureIds: string[];
  /** Ids of the other copies. */
  duplicateIds: string[];
  /** Sent again on the same hop and seen from a capture point that had seen it before. */
  retransmission: boolean;
}

/**
 * Ids of the messages whose payloads foldDuplicates compares: both of every pair on one hop (same
 * Call-ID and branch) at most `windowMicros` apart, seen from two capture points. A store reads
 * only these payloads; with one capture point there are none. `messages` must be in time order.
 */
export function duplicateCandidates(messages: readonly MessageMeta[], windowMicros: number = DEDUP_WINDOW_MICROS): string[] {
  if (oneCapturePoint(messages)) return [];
  const out = new Set<string>();
  const recent = new Map<string, MessageMeta[]>();
  for (const m of messages) {
    const key = copyKey(m);
    const live = (recent.get(key) ?? []).filter((x) => m.ts - x.ts <= windowMicros);
    for (const x of live) {
      if (x.captureId !== m.captureId) {
        out.add(x.id);
        out.add(m.id);
      }
    }
    live.push(m);
    recent.set(key, live);
  }
  return [...out];
}

/**
 * Folds copies of one message and flags retransmissions. `messages` must be in time order; the
 * result keeps that order (by each message's earliest copy). A copy folds into an earlier message
 * when it has the same source, destination and payload, comes from a capture point that has not
 * seen that message yet, and is at most `windowMicros` later than the earliest copy. `payloads`
 * holds, by message id, the payloads of at least the duplicateCandidates; a message without one
 * folds into nothing.
 */
export function foldDuplicates(messages: readonly MessageMeta[], payloads: ReadonlyMap<string, string>, windowMicros: number = DEDUP_WINDOW_MICROS): Folded[] {
  if (oneCapturePoint(messages)) {
    const out = messages.map((m) => ({ message: m, captureIds: [m.captureId], duplicateIds: [], retransmission: false }));
    markRetransmissions(out);
    return out;
  }
  const out: Folded[] = [];
  const open = new Map<string, Folded[]>();
  const samePayload = (a: MessageMeta, b: MessageMeta): boolean => {
    const p = payloads.get(a.id);
    return p !== undefined && p === payloads.get(b.id);
  };
  for (const m of messages) {
    const key = copyKey(m);
    const candidates = open.get(key);
    const hit = candidates?.find((f) => m.ts - f.message.ts <= windowMicros && !f.captureIds.includes(m.captureId) && samePayload(f.message, m));
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

/** True when every message comes from one capture point: then no message is a copy of another. */
function oneCapturePoint(messages: readonly MessageMeta[]): boolean {
  for (let i = 1; i < messages.length; i++) if (messages[i].captureId !== messages[0].captureId) return false;
  return true;
}

/** Copies of one message share this key; their payloads are compared only among candidates. */
function copyKey(m: MessageMeta): string {
  return `${m.srcIp}\u0000${m.srcPort}\u0000${m.dstIp}\u0000${m.dstPort}\u0000${m.callId}\u0000${m.viaBranch}`;
}

/**
 * Same Call-ID, CSeq, method or status, top Via branch and hop as an earlier message, seen by a
 * capture point that saw the earlier one. Messages without CSeq (logs, RTCP) are never flagged.
 */
function markRetransmissions(folded: Folded[]): void {
  // Capture points per key as a list: a message is seen by one or two, rarely more.
  const seen = new Map<string, string[]>();
  for (const f of folded) {
    const m = f.message;
    if (m.cseqNum === null) continue;
    const key = `${m.callId}\u0000${m.cseqNum}\u0000${m.cseqMethod}\u0000${m.method ?? m.status}\u0000${m.viaBranch}\u0000${m.srcIp}\u0000${m.srcPort}\u0000${m.dstIp}\u0000${m.dstPort}`;
    const points = seen.get(key);
    if (points) {
      f.retransmission = f.captureIds.some((c) => points.includes(c));
      for (const c of f.captureIds) if (!points.includes(c)) points.push(c);
    } else seen.set(key, [...f.captureIds]);
  }
}
