/**
 * Homer rows in PostgreSQL's binary COPY format, for `COPY hep_proto_* (id, sid, create_date,
 * protocol_header, data_header, raw) FROM STDIN (FORMAT binary)`: heplify-server also writes its
 * rows with COPY (database/postgres.go, pq.CopyIn). Binary needs no escaping of the CR/LF-laden
 * raw text and no date parsing on the server. Layout: PostgreSQL docs, "COPY", section "Binary
 * Format" (header, then per tuple an int16 field count and per field an int32 length and the
 * bytes, then an int16 -1 trailer). Pure.
 */
import type { EpochMicros } from '../types.ts';
import type { HomerRow } from './rows.ts';

/** The columns, in the order each tuple holds them. */
export const COPY_COLUMNS = '(id, sid, create_date, protocol_header, data_header, raw)';

/** "PGCOPY\n\377\r\n\0", then flags (int32 0: no OIDs) and header extension length (int32 0). */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** int16 -1: no more tuples. */
const TRAILER = Buffer.from([0xff, 0xff]);
/** timestamptz on the wire: int64 µs since 2000-01-01 00:00 UTC (946684800 s after the Unix epoch). */
const PG_EPOCH_MICROS = 946_684_800_000_000n;
/** jsonb's binary form: a version byte (1), then the JSON text. */
const JSONB_VERSION = 1;

/**
 * The COPY stream of `rows` with their pre-allocated `ids` (same order). One buffer: a batch is
 * a few MB at most, and one write keeps the stream's per-chunk cost out of the loop.
 */
export function encodeCopy(rows: readonly HomerRow[], ids: readonly (string | bigint)[]): Buffer {
  let size = HEADER.length + TRAILER.length;
  for (const r of rows) {
    // 2 (field count) + 6 × 4 (lengths) + 8 (id) + 8 (date) + 2 × 1 (jsonb version)
    size += 44 + Buffer.byteLength(r.sid) + Buffer.byteLength(r.protocolHeader) + Buffer.byteLength(r.dataHeader) + Buffer.byteLength(r.raw);
  }
  const buf = Buffer.allocUnsafe(size);
  let o = HEADER.copy(buf, 0);
  const text = (s: string, prefix?: number) => {
    const at = o;
    o += 4;
    if (prefix !== undefined) o = buf.writeUInt8(prefix, o);
    o += buf.write(s, o, 'utf8');
    buf.writeInt32BE(o - at - 4, at);
  };
  rows.forEach((r, i) => {
    o = buf.writeInt16BE(6, o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeBigInt64BE(BigInt(ids[i]), o);
    text(r.sid);
    o = buf.writeInt32BE(8, o);
    o = buf.writeBigInt64BE(pgTimestamp(r.ts), o);
    text(r.protocolHeader, JSONB_VERSION);
    text(r.dataHeader, JSONB_VERSION);
    text(r.raw);
  });
  o += TRAILER.copy(buf, o);
  if (o !== size) throw new Error(`COPY buffer: wrote ${o} of ${size} bytes`);
  return buf;
}

/** µs since the Unix epoch → PostgreSQL's binary timestamptz (µs since 2000-01-01 UTC). */
export function pgTimestamp(ts: EpochMicros): bigint {
  return BigInt(ts) - PG_EPOCH_MICROS;
}
