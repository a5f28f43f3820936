/**
 * A batch of messages packed for the trip to the SQLite writer thread, in one byte array: each
 * message's numbers, the UTF-16 length of each of its strings, then every string as UTF-8. The
 * store lends a shared buffer for it, so the trip copies nothing. The structured clone of one
 * object per message (or of one value per field) costs per value, mostly on the receiving side;
 * one text for the whole batch cost a flattening and a copy each way, about 7 ns a character (a
 * third of the collector thread's time), as a megabyte-long string does wherever it is made.
 * Kept as is for a retry. Pure.
 */
import type { MessageInput } from './types.ts';

/** Strings per message, in the order written: see packBatch. */
const STRINGS = 20;
/** Numbers per message: ts, srcPort, dstPort, protoType, status, cseqNum, hasSdp. */
const NUMBERS = 7;
/** Int32 slots per message: its strings' UTF-16 lengths, then the UTF-8 bytes of its short strings and of its raw text. */
const SLOTS = STRINGS + 2;
/** Bytes per message before the text: its numbers (f64) and its slots (i32). */
const FIXED_BYTES = NUMBERS * 8 + SLOTS * 4;
/** Most bytes UTF-8 takes for one UTF-16 code unit. */
const UTF8_MAX_PER_UNIT = 3;

export interface PackedBatch {
  count: number;
  /** Float64 numbers (NaN for null) of every message, its Int32 slots (a null string's length is -1), then the strings, up to `byteLength`. */
  bytes: Uint8Array;
  byteLength: number;
  /** [index, links] of the messages that carry links (few do). */
  links: [number, MessageInput['links']][];
}

/** The numbers and the slots of a packed batch of `count` messages in `bytes`. */
function views(bytes: Uint8Array, count: number): { numbers: Float64Array; slots: Int32Array } {
  return {
    numbers: new Float64Array(bytes.buffer, bytes.byteOffset, count * NUMBERS),
    slots: new Int32Array(bytes.buffer, bytes.byteOffset + count * NUMBERS * 8, count * SLOTS),
  };
}

/** Bytes packBatch takes for `batch` when its text is ASCII (more when not): what to lend it. */
export function packedBytes(batch: readonly MessageInput[]): number {
  let n = batch.length * FIXED_BYTES;
  // Every field may be null here: a batch can hold the message a store refuses (set-aside.ts).
  const len = (s: string | null | undefined) => s?.length ?? 0;
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i];
    n += len(m.srcIp) + len(m.dstIp) + len(m.transport) + len(m.captureId) + len(m.hepCorrelationId) + len(m.callId)
      + len(m.method) + len(m.reason) + len(m.cseqMethod) + len(m.fromUser) + len(m.fromTag) + len(m.toUser) + len(m.toTag)
      + len(m.ruriUser) + len(m.userAgent) + len(m.viaBranch) + len(m.viaIp) + len(m.contactIp) + len(m.problems) + len(m.raw);
  }
  return n;
}

/**
 * Packs `batch` into `into` (8-byte aligned; a buffer of its own when none is given, or when the
 * batch does not fit). Each message's short strings are joined first and written with one call,
 * then its raw text with another: a call per string cost more than the joining.
 */
export function packBatch(batch: MessageInput[], into?: Uint8Array): PackedBatch {
  const count = batch.length;
  const textStart = count * FIXED_BYTES;
  let bytes = into && into.byteLength >= textStart ? Buffer.from(into.buffer, into.byteOffset, into.byteLength)
    : Buffer.allocUnsafe(textStart + (packedBytes(batch) - textStart) * UTF8_MAX_PER_UNIT);
  let { numbers, slots } = views(bytes, count);
  let at = textStart;
  const write = (s: string): number => {
    if (at + s.length * UTF8_MAX_PER_UNIT > bytes.length && at + Buffer.byteLength(s) > bytes.length) {
      // allocUnsafe hands out pooled slices only for small sizes, at 8-byte offsets: the views stay aligned.
      const grown = Buffer.allocUnsafe(Math.max(at + Buffer.byteLength(s), bytes.length * 2));
      bytes.copy(grown, 0, 0, at);
      bytes = grown;
      ({ numbers, slots } = views(bytes, count));
    }
    const n = bytes.write(s, at);
    at += n;
    return n;
  };
  const links: PackedBatch['links'] = [];
  let short = '';
  let l = 0;
  let n = 0;
  const str = (v: string | null) => {
    if (v === null) slots[l++] = -1;
    else {
      slots[l++] = v.length;
      short += v;
    }
  };
  for (let i = 0; i < count; i++) {
    const m = batch[i];
    numbers[n++] = m.ts; numbers[n++] = m.srcPort; numbers[n++] = m.dstPort; numbers[n++] = m.protoType;
    numbers[n++] = m.status ?? NaN; numbers[n++] = m.cseqNum ?? NaN; numbers[n++] = m.hasSdp ? 1 : 0;
    short = '';
    str(m.srcIp); str(m.dstIp); str(m.transport); str(m.captureId); str(m.hepCorrelationId); str(m.callId);
    str(m.method); str(m.reason); str(m.cseqMethod); str(m.fromUser); str(m.fromTag); str(m.toUser); str(m.toTag);
    str(m.ruriUser); str(m.userAgent); str(m.viaBranch); str(m.viaIp ?? null); str(m.contactIp ?? null); str(m.problems);
    const raw = m.raw as string | null; // null only in a message the store will refuse
    slots[l++] = raw === null ? -1 : raw.length;
    slots[l++] = write(short);
    slots[l++] = raw === null ? 0 : write(raw);
    if (m.links.length) links.push([i, m.links]);
  }
  return { count, bytes, byteLength: at, links };
}

export function unpackBatch(p: PackedBatch): MessageInput[] {
  const { count, bytes } = p;
  const { numbers, slots } = views(bytes, count);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, p.byteLength);
  // Each message's short strings decoded with one call and sliced, its raw text with another: one
  // decode of the whole batch makes a megabyte-long string, ten times as slow. UTF-8 keeps every
  // string's UTF-16 length (a lone surrogate, which no text decoded from bytes holds, would come
  // back as U+FFFD).
  let byteAt = count * FIXED_BYTES;
  let short = '';
  let at = 0;
  let l = 0;
  let n = 0;
  const str = (): string | null => {
    const len = slots[l++];
    if (len < 0) return null;
    at += len;
    return short.slice(at - len, at);
  };
  const num = (): number | null => {
    const v = numbers[n++];
    return Number.isNaN(v) ? null : v;
  };
  const out: MessageInput[] = [];
  for (let i = 0; i < count; i++) {
    l = i * SLOTS;
    short = buf.toString('utf8', byteAt, byteAt += slots[l + STRINGS]);
    at = 0;
    const raw = slots[l + STRINGS - 1] < 0 ? null : buf.toString('utf8', byteAt, byteAt += slots[l + STRINGS + 1]);
    // Object literals evaluate in order: strings as packed, then numbers.
    const m = {
      srcIp: str()!, dstIp: str()!, transport: str()!, captureId: str()!, hepCorrelationId: str(), callId: str()!,
      method: str(), reason: str(), cseqMethod: str(), fromUser: str(), fromTag: str(), toUser: str(), toTag: str(),
      ruriUser: str(), userAgent: str(), viaBranch: str(), viaIp: str(), contactIp: str(), problems: str(), raw: raw!,
      ts: num()!, srcPort: num()!, dstPort: num()!, protoType: num()!, status: num(), cseqNum: num(), hasSdp: num() === 1,
      links: [] as MessageInput['links'],
    };
    out.push(m);
  }
  for (const [i, links] of p.links) out[i].links = links;
  return out;
}
