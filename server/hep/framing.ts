/**
 * TCP stream → HEP3 frames. HEP3 packets are sent back to back on a stream, each announcing its
 * own total length (u16 at offset 4), as heplify-server server/tcp.go handleStream reads them.
 * HEPv1/v2 have no length field and are UDP only, so a stream is HEP3 only.
 *
 * The framer only cuts frames: it checks the id, the length field and that the chunk headers tile
 * the frame exactly (so a false length is found), and decodeHep checks the rest.
 * Pure: feed it bytes, it returns frames; the socket lives in collector/tcp.ts.
 */
import { CHUNK_HEADER_BYTES, EEP3_MAGIC, HEP3_HEADER_BYTES, HEP3_MAGIC, HEP3_MAX_BYTES } from './chunks.ts';
import type { HepRejection } from './types.ts';

export interface FramerRejection {
  reason: Extract<HepRejection, 'bad-magic' | 'length-mismatch'>;
  detail: string;
}

export interface FramerOutput {
  /** Whole frames, in stream order; each is its own copy, ready for decodeHep. */
  frames: Buffer[];
  /** Faults found in this push: one per run of garbage, one per false length field. */
  rejections: FramerRejection[];
  /** Bytes dropped in this push while resynchronising (part of no frame). */
  skipped: number;
}

const ID_BYTES = HEP3_MAGIC.length;
/** While hunting for the next id, keep this many trailing bytes: they may be the start of one. */
const ID_PREFIX_KEEP = ID_BYTES - 1;

/**
 * Where a walk over a HEP3 frame's chunk headers stands, for a frame of `length` bytes at `start`.
 * - 'ok': the chunks tile the frame exactly (its length field is consistent);
 * - 'partial': consistent so far; the chunk header at `next` (an offset in the buffer) is not held yet;
 * - 'false-length': the length field cannot be this frame's: a chunk runs past the end, a chunk
 *   length is under 6, bytes too few for a chunk header are left at the end, or an id ("HEP3"/"EEP3")
 *   stands where a chunk header should be (the next frame begins inside this one).
 */
export type ChunkWalk =
  | { status: 'ok' }
  | { status: 'partial'; next: number }
  | { status: 'false-length'; detail: string };

/**
 * Walks the chunk headers of the HEP3 frame at `start` whose length field says `length` (≥ 6),
 * from the chunk header at `from` (default: the first, right after the 6-byte frame header), using
 * only the bytes `buf` holds. Only chunk headers are read, so a frame whose payload has not all
 * arrived can already be found false. Pure; O(chunks).
 */
export function walkHep3Chunks(buf: Buffer, start: number, length: number, from = start + HEP3_HEADER_BYTES): ChunkWalk {
  const end = start + length;
  let at = from;
  while (at < end) {
    if (end - at < CHUNK_HEADER_BYTES) return { status: 'false-length', detail: `${end - at} bytes left at the end of a ${length}-byte frame, too few for a chunk` };
    if (buf.length - at < CHUNK_HEADER_BYTES) {
      // An id needs only 4 bytes: a frame that begins here is found without waiting for more.
      if (buf.length - at >= ID_BYTES && isHep3Id(buf, at)) return { status: 'false-length', detail: `an id at byte ${at - start} of a ${length}-byte frame` };
      return { status: 'partial', next: at };
    }
    if (isHep3Id(buf, at)) return { status: 'false-length', detail: `an id at byte ${at - start} of a ${length}-byte frame` };
    const chunkLength = buf.readUInt16BE(at + 4);
    if (chunkLength < CHUNK_HEADER_BYTES) return { status: 'false-length', detail: `chunk length ${chunkLength} at byte ${at - start}` };
    if (at + chunkLength > end) return { status: 'false-length', detail: `a chunk at byte ${at - start} runs ${at + chunkLength - end} bytes past a ${length}-byte frame` };
    at += chunkLength;
  }
  return { status: 'ok' };
}

/**
 * The one check of a HEP3 frame's length, shared by this framer and the capture importer's
 * (pcap/framer.ts): the length field at `start` + 4 must cover the 6-byte header, and the
 * chunks must tile the frame (walkHep3Chunks, from the chunk header at `from`). The caller has
 * checked the id and holds at least the 6-byte header.
 */
export function walkHep3Frame(buf: Buffer, start: number, from?: number): ChunkWalk {
  const length = buf.readUInt16BE(start + ID_BYTES);
  if (length < HEP3_HEADER_BYTES) return { status: 'false-length', detail: `length field ${length} is under the ${HEP3_HEADER_BYTES}-byte header` };
  return walkHep3Chunks(buf, start, length, from);
}

/**
 * Cuts a HEP3 byte stream into frames. A frame split across pushes is held back; several frames
 * in one push all come out. After a bad id or a false length field (under 6, or one the frame's
 * chunks do not tile: walkHep3Chunks), it counts one rejection and then scans forward for the
 * next "HEP3" or "EEP3", dropping the bytes in between.
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
  /** Offset, from the held frame's start, of the first chunk header not yet checked (0: none checked). */
  private walked = 0;

  /** Bytes held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.held;
  }

  /** Total bytes dropped while resynchronising since this framer was created. */
  get discardedBytes(): number {
    return this.discarded;
  }

  push(chunk: Buffer): FramerOutput {
    const out: FramerOutput = { frames: [], rejections: [], skipped: 0 };
    if (chunk.length === 0) return out;
    this.pieces.push(chunk);
    this.held += chunk.length;
    if (this.held < this.needed) return out;

    const buf = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.held);
    const discardedBefore = this.discarded;
    const pos = this.cut(buf, out);
    out.skipped = this.discarded - discardedBefore;
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
      const walk = walkHep3Frame(buf, pos, this.walked ? pos + this.walked : undefined);
      if (walk.status === 'false-length') {
        this.fault(out, 'length-mismatch', walk.detail);
        this.walked = 0;
        pos += 1; // step off this id so the scan looks past it
        this.discarded += 1;
        continue;
      }
      if (walk.status === 'partial' || available < length) {
        // Wait for the next chunk header (to check it) or for the frame's end, whichever is first.
        this.walked = walk.status === 'partial' ? walk.next - pos : length;
        this.needed = Math.min(length, this.walked + CHUNK_HEADER_BYTES);
        return pos;
      }
      this.walked = 0;
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

/**
 * True when the 4 bytes at `at` (the caller holds them) are "HEP3" or "EEP3". Byte reads: this
 * runs once per chunk, and two Buffer.compare calls cost more.
 */
export function isHep3Id(buf: Buffer, at: number): boolean {
  const first = buf[at];
  return (first === HEP3_MAGIC[0] || first === EEP3_MAGIC[0]) &&
    buf[at + 1] === HEP3_MAGIC[1] && buf[at + 2] === HEP3_MAGIC[2] && buf[at + 3] === HEP3_MAGIC[3];
}

/** True when `bytes` (up to 4) equal the start of "HEP3" or "EEP3". */
function isIdPrefix(bytes: Buffer): boolean {
  const n = bytes.length;
  return HEP3_MAGIC.subarray(0, n).equals(bytes) || EEP3_MAGIC.subarray(0, n).equals(bytes);
}
