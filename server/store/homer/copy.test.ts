import { describe, it, expect } from 'vitest';
import { encodeCopy, pgTimestamp } from './copy.ts';
import type { HomerRow } from './rows.ts';

const row = (o: Partial<HomerRow> = {}): HomerRow => ({
  profile: '1_call', sid: 'a', ts: 946_684_800_000_001, protocolHeader: '{}', dataHeader: '[]', raw: 'é\r\n', extras: null, ...o,
});

describe('binary COPY encoding', () => {
  it('writes the header, one tuple of six fields and the trailer, byte for byte', () => {
    const hex = encodeCopy([row()], [7n]).toString('hex');
    expect(hex).toBe([
      '5047434f50590aff0d0a00', // "PGCOPY\n\377\r\n\0" signature
      '00000000', //               flags: no OIDs
      '00000000', //               header extension: 0 bytes
      '0006', //                   tuple: 6 fields
      '00000008', '0000000000000007', // id int8 = 7
      '00000001', '61', //         sid "a"
      '00000008', '0000000000000001', // create_date: 1 µs after 2000-01-01 00:00 UTC
      '00000003', '01', '7b7d', // protocol_header jsonb: version 1, "{}"
      '00000003', '01', '5b5d', // data_header jsonb: version 1, "[]"
      '00000004', 'c3a9', '0d0a', // raw "é\r\n": UTF-8 length, CR LF unescaped
      'ffff', //                   trailer: -1
    ].join(''));
  });

  it('counts multi-byte characters in bytes and keeps the rows in order', () => {
    const buf = encodeCopy([row({ sid: 'x' }), row({ sid: '日本' })], ['1', '2']);
    const sids: string[] = [];
    let o = 19;
    for (let t = 0; t < 2; t++) {
      expect(buf.readInt16BE(o)).toBe(6);
      o += 2;
      for (let f = 0; f < 6; f++) {
        const n = buf.readInt32BE(o);
        if (f === 1) sids.push(buf.toString('utf8', o + 4, o + 4 + n));
        o += 4 + n;
      }
    }
    expect(sids).toEqual(['x', '日本']);
    expect(buf.readInt16BE(o)).toBe(-1);
    expect(o + 2).toBe(buf.length);
  });

  it('converts Unix microseconds to PostgreSQL timestamps, before 2000 too', () => {
    expect(pgTimestamp(946_684_800_000_000)).toBe(0n);
    expect(pgTimestamp(1_700_000_000_123_456)).toBe(753_315_200_123_456n);
    expect(pgTimestamp(0)).toBe(-946_684_800_000_000n);
  });
});
