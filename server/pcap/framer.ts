/**
 * Frames the in-order bytes of one TCP direction into SIP messages (RFC 3261 §18.3: headers up
 * to the blank line, then Content-Length bytes of body) and HEP3 packets (u16 total length).
 * A stream picked up mid-message, or after lost bytes, is resynchronised at the next SIP start line.
 */
import { HEP3_HEADER_BYTES, HEP3_MAGIC, EEP3_MAGIC } from '../hep/chunks.ts';
import { isHep3Id, walkHep3Frame } from '../hep/framing.ts';
import { contentLength, findSipStart, headerEnd, isSipStart } from './sip-peek.ts';
import type { SkipReason } from './skip.ts';

export interface FramerLimits {
  /** Largest SIP message or HEP packet accepted on a stream, bytes; a larger one is dropped. */
  maxMessageBytes: number;
}

export type FramedMessage = { kind: 'sip' | 'hep'; bytes: Buffer };

/** A partial start line longer than this cannot become SIP (sip-peek START_LINE_MAX). */
const PARTIAL_LINE_MAX = 2048;
/** Nothing held. Shared: a new Buffer.alloc(0) after every segment cost 3% of an import. */
const NO_BYTES = Buffer.alloc(0);

export class StreamFramer {
  private buf: Buffer = NO_BYTES;

  constructor(
    private readonly limits: FramerLimits,
    private readonly onMessage: (m: FramedMessage) => void,
    private readonly onSkip: (reason: SkipReason) => void,
  ) {}

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.buf.length;
  }

  push(data: Buffer): void {
    const b = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
    const used = this.frame(b);
    // Copy the tail so the read chunk it points into can be freed.
    this.buf = used >= b.length ? NO_BYTES : Buffer.from(b.subarray(used));
    if (this.buf.length > this.limits.maxMessageBytes) {
      this.onSkip('tcp-overflow');
      this.buf = NO_BYTES;
    }
  }

  /** Bytes were lost before the next push: what is held can never complete. */
  gap(): void {
    if (this.buf.length > 0) this.onSkip('tcp-incomplete');
    this.buf = NO_BYTES;
  }

  /** The stream closed or the capture ended. */
  end(): void {
    this.gap();
  }

  /** Emits every whole message in b; returns the offset of the first byte not used. */
  private frame(b: Buffer): number {
    let pos = 0;
    while (pos < b.length) {
      // CRLF keep-alives between messages (RFC 5626 §3.5.1).
      while (pos < b.length && (b[pos] === 0x0d || b[pos] === 0x0a)) pos++;
      if (pos >= b.length) return pos;
      if (b.length - pos < HEP3_MAGIC.length) return pos; // too short to tell SIP from HEP
      if (isHep3Id(b, pos)) {
        if (b.length - pos < HEP3_HEADER_BYTES) return pos;
        // The collector's framer check: a false length field resynchronises rather than cutting a wrong frame.
        const walk = walkHep3Frame(b, pos);
        if (walk.status === 'false-length') {
          pos = this.resync(b, pos + 1);
          continue;
        }
        const len = b.readUInt16BE(pos + HEP3_MAGIC.length);
        if (walk.status === 'partial' || b.length - pos < len) return pos;
        this.onMessage({ kind: 'hep', bytes: b.subarray(pos, pos + len) });
        pos += len;
        continue;
      }
      if (b.indexOf(0x0a, pos) < 0) {
        // The start line is not complete yet: wait, unless it is already too long to be SIP.
        if (b.length - pos <= PARTIAL_LINE_MAX) return pos;
        pos = this.resync(b, pos + 1);
        continue;
      }
      if (!isSipStart(b, pos)) {
        pos = this.resync(b, pos + 1);
        continue;
      }
      const bodyStart = headerEnd(b, pos);
      if (bodyStart < 0) return pos;
      // RFC 3261 §18.3: on a stream Content-Length is mandatory; absent reads as 0.
      const bodyLen = contentLength(b.toString('latin1', pos, bodyStart)) ?? 0;
      if (bodyStart - pos + bodyLen > this.limits.maxMessageBytes) {
        this.onSkip('tcp-overflow');
        pos = this.resync(b, bodyStart);
        continue;
      }
      if (bodyStart + bodyLen > b.length) return pos;
      this.onMessage({ kind: 'sip', bytes: b.subarray(pos, bodyStart + bodyLen) });
      pos = bodyStart + bodyLen;
    }
    return pos;
  }

  /** Drops bytes up to the next SIP start line or HEP id; keeps a trailing partial line. */
  private resync(b: Buffer, from: number): number {
    this.onSkip('tcp-not-sip');
    const sip = findSipStart(b, from);
    const hep = Math.min(indexOrEnd(b, HEP3_MAGIC, from), indexOrEnd(b, EEP3_MAGIC, from));
    const next = Math.min(sip < 0 ? b.length : sip, hep);
    if (next < b.length) return next;
    // Nothing found: keep the last unterminated line, which may be the start of a SIP line.
    const lastNl = b.lastIndexOf(0x0a);
    const tail = lastNl < from ? from : lastNl + 1;
    return Math.max(tail, b.length - PARTIAL_LINE_MAX);
  }
}

function indexOrEnd(b: Buffer, needle: Buffer, from: number): number {
  const i = b.indexOf(needle, from);
  return i < 0 ? b.length : i;
}
