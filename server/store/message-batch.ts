/**
 * A batch of messages as one flat array, for the trip to the SQLite writer thread: the structured
 * clone of plain values costs ~40% less than that of one object per message (its keys are
 * written for every message). Pure.
 */
import type { MessageInput } from './types.ts';

/** Values per message in a packed batch. */
const WIDTH = 25;

export type PackedBatch = unknown[];

export function packBatch(batch: MessageInput[]): PackedBatch {
  const out: unknown[] = new Array(batch.length * WIDTH);
  let i = 0;
  for (const m of batch) {
    out[i++] = m.ts; out[i++] = m.srcIp; out[i++] = m.srcPort; out[i++] = m.dstIp; out[i++] = m.dstPort;
    out[i++] = m.transport; out[i++] = m.captureId; out[i++] = m.hepCorrelationId; out[i++] = m.protoType;
    out[i++] = m.callId; out[i++] = m.method; out[i++] = m.status; out[i++] = m.reason; out[i++] = m.cseqNum;
    out[i++] = m.cseqMethod; out[i++] = m.fromUser; out[i++] = m.fromTag; out[i++] = m.toUser; out[i++] = m.toTag;
    out[i++] = m.ruriUser; out[i++] = m.userAgent; out[i++] = m.viaBranch; out[i++] = m.hasSdp; out[i++] = m.raw;
    // Problems and links share a slot: most messages have neither.
    out[i++] = m.problems === null && m.links.length === 0 ? null : [m.problems, m.links];
  }
  return out;
}

export function unpackBatch(packed: PackedBatch): MessageInput[] {
  const out: MessageInput[] = [];
  const v = packed as any[];
  for (let i = 0; i < v.length; i += WIDTH) {
    const extra = v[i + 24] as [string | null, MessageInput['links']] | null;
    out.push({
      ts: v[i], srcIp: v[i + 1], srcPort: v[i + 2], dstIp: v[i + 3], dstPort: v[i + 4], transport: v[i + 5],
      captureId: v[i + 6], hepCorrelationId: v[i + 7], protoType: v[i + 8], callId: v[i + 9], method: v[i + 10],
      status: v[i + 11], reason: v[i + 12], cseqNum: v[i + 13], cseqMethod: v[i + 14], fromUser: v[i + 15],
      fromTag: v[i + 16], toUser: v[i + 17], toTag: v[i + 18], ruriUser: v[i + 19], userAgent: v[i + 20],
      viaBranch: v[i + 21], hasSdp: v[i + 22], raw: v[i + 23],
      problems: extra ? extra[0] : null, links: extra ? extra[1] : [],
    });
  }
  return out;
}
