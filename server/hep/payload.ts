/**
 * Helpers shared by the HEP decoders: payload decompression (chunk 0x0010), the OpenSIPS
 * homer5_on=0 JSON unwrap, the type-101 extra correlation, chunk strings and time normalisation.
 * All pure: node:zlib's *Sync calls work on memory only.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { HepDecodeResult, HepRejection } from './types.ts';

export type Rejected = Extract<HepDecodeResult, { ok: false }>;

/**
 * Default upper bound on a decompressed payload (chunk 0x0010), in bytes; the collector takes
 * config.maxDecompressedBytes, whose default this is. Deflate expands up to about 1030-fold, so
 * one 64 KiB packet could carry 64 MiB; a SIP message is a few KiB, and even a large multipart
 * INVITE stays far below 256 KiB.
 */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024;

export function reject(reason: HepRejection, detail?: string): Rejected {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

const GZIP_ID1 = 0x1f; // RFC 1952 §2.3.1: ID1 = 31, ID2 = 139
const GZIP_ID2 = 0x8b;
const ZLIB_CMF_DEFLATE_32K = 0x78; // RFC 1950 §2.2: CM = 8 (deflate), CINFO = 7 (32 KiB window)

/**
 * Inflates chunk 0x0010. The format is told by its first bytes, since senders differ (OpenSIPS
 * writes gzip, captagent zlib): 1f 8b is gzip; 0x78 with a valid FCHECK (RFC 1950: CMF·256+FLG is
 * a multiple of 31) is zlib; anything else is tried as raw deflate. Output is capped at `maxBytes`
 * (bytes, default MAX_DECOMPRESSED_BYTES): zlib stops inflating once its output passes the cap, so
 * a bomb costs the cap's worth of work (about 1 ms for 256 KiB), not its full expansion.
 */
export function decompressPayload(bytes: Uint8Array, maxBytes = MAX_DECOMPRESSED_BYTES): Buffer | Rejected {
  if (bytes.length === 0) return reject('bad-compression', 'empty compressed payload');
  const options = { maxOutputLength: maxBytes };
  let format = 'raw deflate';
  try {
    if (bytes[0] === GZIP_ID1 && bytes[1] === GZIP_ID2) {
      format = 'gzip';
      return gunzipSync(bytes, options);
    }
    if (bytes.length >= 2 && bytes[0] === ZLIB_CMF_DEFLATE_32K && ((bytes[0] << 8) | bytes[1]) % 31 === 0) {
      format = 'zlib';
      return inflateSync(bytes, options);
    }
    return inflateRawSync(bytes, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return reject('decompressed-too-large', `${format} of ${bytes.length} bytes expands past ${maxBytes} bytes`);
    }
    return reject('bad-compression', `${format}: ${(err as Error).message}`);
  }
}

const OPEN_BRACE = 0x7b; // '{'

/**
 * OpenSIPS with homer5_on=0 sends a SIP payload as {"payload":"<raw SIP>"} (proto_hep hep.c
 * build_hep3_buf). Returns the inner SIP when `bytes` is such an object, else `bytes` unchanged.
 * Call it only for protocol type SIP.
 */
export function unwrapOpensipsJson(bytes: Buffer): Buffer {
  if (bytes.length === 0 || bytes[0] !== OPEN_BRACE) return bytes;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (isPlainObject(parsed) && typeof parsed.payload === 'string') {
      return Buffer.from(parsed.payload, 'utf8');
    }
  } catch {
    // Not JSON after all: a payload is kept as sent.
  }
  return bytes;
}

/**
 * Reads the OpenSIPS type-101 chunk: a JSON object such as {"net":"12345"}. Keeps string values
 * only. Returns null when the chunk is not a JSON object, so that one malformed optional chunk
 * does not cost the packet.
 */
export function parseExtraCorrelation(bytes: Uint8Array): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
  if (!isPlainObject(parsed)) return null;
  // Object.fromEntries defines own properties, so a "__proto__" key stays an ordinary key.
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Text of a string chunk (0x000e, 0x0011, 0x0013): UTF-8, with trailing NUL bytes dropped,
 * because C agents sometimes count the string terminator in the chunk length.
 */
export function readChunkString(buf: Buffer, at: number, end: number): string {
  while (end > at && buf[end - 1] === 0) end--;
  return buf.toString('utf8', at, end);
}

const USEC_PER_SEC = 1_000_000;

/** Carries a microsecond field of 1e6 or more into the seconds, so tsUsec is always 0..999999. */
export function normalizeTime(sec: number, usec: number): { tsSec: number; tsUsec: number } {
  return { tsSec: sec + Math.floor(usec / USEC_PER_SEC), tsUsec: usec % USEC_PER_SEC };
}
