/**
 * A batch of messages packed for the trip to the SQLite writer thread: every string of every
 * message concatenated into one text, with their lengths and the numbers in two typed arrays.
 * The structured clone of one object per message (or of one value per field) costs per value,
 * mostly on the receiving side; this costs about one copy of the text. Kept as is for a retry.
 * Pure.
 */
import type { MessageInput } from './types.ts';

/** Strings per message, in the order written: see packBatch. */
const STRINGS = 20;
/** Numbers per message: ts, srcPort, dstPort, protoType, status, cseqNum, hasSdp. */
const NUMBERS = 7;

export interface PackedBatch {
  count: number;
  text: string;
  /** UTF-16 length of each string in `text`, -1 for null. */
  lengths: Int32Array;
  /** Null numbers are NaN. */
  numbers: Float64Array;
  /** [index, links] of the messages that carry links (few do). */
  links: [number, MessageInput['links']][];
}

export function packBatch(batch: MessageInput[]): PackedBatch {
  const lengths = new Int32Array(batch.length * STRINGS);
  const numbers = new Float64Array(batch.length * NUMBERS);
  const links: PackedBatch['links'] = [];
  // Appending builds a rope that postMessage flattens once; Array.join cost twice as much.
  let text = '';
  let l = 0;
  let n = 0;
  const str = (v: string | null) => {
    if (v === null) lengths[l++] = -1;
    else {
      lengths[l++] = v.length;
      text += v;
    }
  };
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i];
    str(m.srcIp); str(m.dstIp); str(m.transport); str(m.captureId); str(m.hepCorrelationId); str(m.callId);
    str(m.method); str(m.reason); str(m.cseqMethod); str(m.fromUser); str(m.fromTag); str(m.toUser); str(m.toTag);
    str(m.ruriUser); str(m.userAgent); str(m.viaBranch); str(m.viaIp ?? null); str(m.contactIp ?? null); str(m.raw); str(m.problems);
    numbers[n++] = m.ts; numbers[n++] = m.srcPort; numbers[n++] = m.dstPort; numbers[n++] = m.protoType;
    numbers[n++] = m.status ?? NaN; numbers[n++] = m.cseqNum ?? NaN; numbers[n++] = m.hasSdp ? 1 : 0;
    if (m.links.length) links.push([i, m.links]);
  }
  return { count: batch.length, text, lengths, numbers, links };
}

export function unpackBatch(p: PackedBatch): MessageInput[] {
  const { text, lengths, numbers } = p;
  let at = 0;
  let l = 0;
  let n = 0;
  const str = (): string | null => {
    const len = lengths[l++];
    if (len < 0) return null;
    at += len;
    return text.slice(at - len, at);
  };
  const num = (): number | null => {
    const v = numbers[n++];
    return Number.isNaN(v) ? null : v;
  };
  const out: MessageInput[] = [];
  for (let i = 0; i < p.count; i++) {
    // Object literals evaluate in order: strings as packed, then numbers.
    const m = {
      srcIp: str()!, dstIp: str()!, transport: str()!, captureId: str()!, hepCorrelationId: str(), callId: str()!,
      method: str(), reason: str(), cseqMethod: str(), fromUser: str(), fromTag: str(), toUser: str(), toTag: str(),
      ruriUser: str(), userAgent: str(), viaBranch: str(), viaIp: str(), contactIp: str(), raw: str()!, problems: str(),
      ts: num()!, srcPort: num()!, dstPort: num()!, protoType: num()!, status: num(), cseqNum: num(), hasSdp: num() === 1,
      links: [] as MessageInput['links'],
    };
    out.push(m);
  }
  for (const [i, links] of p.links) out[i].links = links;
  return out;
}
