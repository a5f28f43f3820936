/**
 * TCP stream → HEP3 frames. HEP3 packets are sent back to back on a stream, each announcing its
 * own total length (u16 at offset 4), as heplify-server server/tcp.go handleStream reads them.
 * HEPv1/v2 have no length field and are UDP only, so a stream is HEP3 only.
 *
 * The framer only cuts frames: it checks the id and the length field, and decodeHep checks the rest.
 * Pure: feed it bytes, it returns frames; the socket lives in collector/tcp.ts.
 */
import { EEP3_MAGIC, HEP3_HEADER_BYTES, HEP3_MAGIC, HEP3_MAX_BYTES } from './chunks.ts';
import type { HepRejection } from './types.ts';

export interface FramerRejection {
  reason: Extract<HepRejection, 'bad-magic' | 'length-mismatch'>;
  detail: string;
}

export interface FramerOutput {
  /** Whole frames, in stream order; each is its own copy, ready for decodeHep. */
  frames: Buffer[];
  /** Faults found in this push: one per run of garbage, one per length field under 6. */
  rejections: FramerRejection[];
}

const ID_BYTES = HEP3_MAGIC.length;
/** While hunting for the next id, keep this many trailing bytes: they may be the start of one. */
const ID_PREFIX_KEEP = ID_BYTES - 1;

/**
 * Cuts a HEP3 byte stream into frames. A frame split across pushes is held back; several frames
 * in one push all come out. After a bad id or a length under 6, it counts one rejection and then
 * scans forward for the next "HEP3" or "EEP3", dropping the bytes in between.
 *
 * Memory bound: `pending` never exceeds MAX_HELD_BYTES after a push returns, because what is held
 * is at most one incomplete frame, whose length field is a u16.
 */
export class HepStreamFramer {
  /** Most bytes held between pushes: one frame less one byte (a frame is at most 65535 bytes). */
  static readonly MAX_HELD_BYTES = HEP3_MAX_BYTES - 1;

  /** Pieces received but not yet cut into frames (kept apart to avoid re-copying a slow frame). */
  private pieces: Buffer[] = [];
  private held = 0;
  /** Bytes that must be held before cutting can make progress. */
  private needed = 1;
  /** True between a fault and the next id found. */
  private resyncing = false;
  private discarded = 0;

  /** Bytes held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.held;
  }

  /** Total bytes dropped while resynchronising since this framer was created. */
  get discardedBytes(): number {
    return this.discarded;
  }

  push(chunk: Buffer): FramerOutput {
    const out: FramerOutput = { frames: [], rejections: [] };
    if (chunk.length === 0) return out;
    this.pieces.push(chunk);
    this.held += chunk.length;
    if (this.held < this.needed) return out;

    const buf = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.held);
    const pos = this.cut(buf, out);
    // Copy the rest so the held bytes do not pin a large socket buffer.
    const rest = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
    this.pieces = rest ? [rest] : [];
    this.held = rest ? rest.length : 0;
    return out;
  }

  /** Cuts frames from `buf`, returns the offset of the first byte not consumed. */
  private cut(buf: Buffer, out: FramerOutput): number {
    let pos = 0;
    for (;;) {
      if (this.resyncing) {
        const next = findId(buf, pos);
        if (next < 0) {
          // No id yet: drop all but the last bytes, which may begin one.
          const keepFrom = Math.max(pos, buf.length - ID_PREFIX_KEEP);
          this.discarded += keepFrom - pos;
          this.needed = buf.length - keepFrom + 1;
          return keepFrom;
        }
        this.discarded += next - pos;
        pos = next;
        this.resyncing = false;
      }

      const available = buf.length - pos;
      if (available < HEP3_HEADER_BYTES) {
        if (!isIdPrefix(buf.subarray(pos, pos + Math.min(available, ID_BYTES)))) {
          this.fault(out, 'bad-magic', `bytes ${buf.subarray(pos, pos + ID_BYTES).toString('hex')} at a frame start`);
          continue;
        }
        this.needed = HEP3_HEADER_BYTES;
        return pos;
      }
      if (!isIdPrefix(buf.subarray(pos, pos + ID_BYTES))) {
        this.fault(out, 'bad-magic', `bytes ${buf.subarray(pos, pos + ID_BYTES).toString('hex')} at a frame start`);
        continue;
      }
      const length = buf.readUInt16BE(pos + ID_BYTES);
      if (length < HEP3_HEADER_BYTES) {
        this.fault(out, 'length-mismatch', `length field ${length} is under the ${HEP3_HEADER_BYTES}-byte header`);
        pos += 1; // step off this id so the scan looks past it
        this.discarded += 1;
        continue;
      }
      if (available < length) {
        this.needed = length;
        return pos;
      }
      out.frames.push(Buffer.from(buf.subarray(pos, pos + length)));
      pos += length;
    }
  }

  private fault(out: FramerOutput, reason: FramerRejection['reason'], detail: string): void {
    out.rejections.push({ reason, detail });
    this.resyncing = true;
  }
}

/** Offset of the first "HEP3" or "EEP3" at or after `from`, or -1. */
function findId(buf: Buffer, from: number): number {
  const h = buf.indexOf(HEP3_MAGIC, from);
  const e = buf.indexOf(EEP3_MAGIC, from);
  if (h < 0) return e;
  if (e < 0) return h;
  return Math.min(h, e);
}

/** True when `bytes` (up to 4) equal the start of "HEP3" or "EEP3". */
function isIdPrefix(bytes: Buffer): boolean {
  const n = bytes.length;
  return HEP3_MAGIC.subarray(0, n).equals(bytes) || EEP3_MAGIC.subarray(0, n).equals(bytes);
}
