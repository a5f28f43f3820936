import { describe, expect, it } from 'vitest';
import { packBatch, unpackBatch } from './message-batch.ts';
import type { MessageInput } from './types.ts';

const message = (o: Partial<MessageInput> = {}): MessageInput => ({
  ts: 1_700_000_000_123_456, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '2001:db8::2', dstPort: 5080, transport: 'udp',
  captureId: '2001', hepCorrelationId: 'corr-1', protoType: 1, callId: 'a@b', method: 'INVITE', status: null,
  reason: null, cseqNum: 1, cseqMethod: 'INVITE', fromUser: 'alice', fromTag: 'f1', toUser: 'bob', toTag: null,
  ruriUser: 'bob', userAgent: 'ua', viaBranch: 'z9hG4bK1', viaIp: '192.168.1.20', contactIp: null, hasSdp: true, raw: 'INVITE sip:bob@b SIP/2.0\r\n\r\n',
  problems: null, links: [], ...o,
});

describe('packed message batches', () => {
  it('come back field for field through a structured clone, links and problems included', () => {
    const batch = [
      message(),
      message({ method: null, status: 180, reason: 'Ringing', hasSdp: false, problems: 'no-via; bad-to', hepCorrelationId: null, viaIp: null }),
      message({ callId: 'c@d', contactIp: '2001:db8::7', links: [{ target: 'a@b', rule: 'replaces', header: 'Replaces', value: 'a@b;to-tag=1' }] }),
      message({ raw: 'INVITE sip:𝄞@b SIP/2.0\r\nSubject: ünïcødé, "quotes", \u0000 and all\r\n\r\n', userAgent: '', fromUser: null, cseqNum: 0, status: 0 }),
    ];
    const packed = packBatch(batch);
    expect(unpackBatch(structuredClone(packed))).toEqual(batch);
    // The same packed batch can be sent again (a retried write).
    expect(unpackBatch(structuredClone(packed))).toEqual(batch);
  });

  it('come back the same from a lent shared buffer, grown past it when the UTF-8 does not fit, and from the buffer lent again', () => {
    const wide = 'ü'.repeat(40) + '𝄞'.repeat(40); // 80 + 160 bytes of UTF-8 in 120 UTF-16 units
    const first = [message({ raw: wide }), message({ callId: wide, raw: 'x'.repeat(500) }), message({ fromUser: 'ö', raw: wide + wide })];
    const lent = new Uint8Array(new SharedArrayBuffer(256));
    const grown = packBatch(first, lent);
    expect(grown.bytes.buffer).not.toBe(lent.buffer);
    expect(unpackBatch(structuredClone(grown))).toEqual(first);
    const second = [message({ raw: 'OPTIONS sip:a@b SIP/2.0\r\n\r\n' })];
    const shared = packBatch(second, lent);
    expect(shared.bytes.buffer).toBe(lent.buffer);
    expect(unpackBatch(structuredClone(shared))).toEqual(second);
  });

  it('packs an empty batch as an empty array', () => {
    expect(unpackBatch(packBatch([]))).toEqual([]);
  });
});
