import { describe, expect, it } from 'vitest';
import { DEDUP_WINDOW_MICROS, foldDuplicates } from './dedup.ts';
import { makeStored, T0 } from './fixtures.ts';

/*
 * SBC (capture "10") and proxy (capture "20") both trace the SBC → proxy hop:
 *   t0        INVITE  SBC → proxy   seen by 10
 *   t0+300µs  INVITE  SBC → proxy   seen by 20   (same bytes)  → one message, seen at 10 and 20
 */
describe('foldDuplicates', () => {
  it('folds the same message seen by two capture points within the window into one', () => {
    const a = makeStored({ ts: T0, captureId: '10', raw: 'INVITE x' });
    const b = makeStored({ ts: T0 + 300, captureId: '20', raw: 'INVITE x' });
    const out = foldDuplicates([a, b], DEDUP_WINDOW_MICROS);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ message: a, captureIds: ['10', '20'], duplicateIds: [b.id], retransmission: false });
  });

  it('keeps copies apart when the payload, the source or the destination differ', () => {
    const a = makeStored({ captureId: '10', raw: 'INVITE x' });
    expect(foldDuplicates([a, makeStored({ captureId: '20', raw: 'INVITE y' })])).toHaveLength(2);
    expect(foldDuplicates([a, makeStored({ captureId: '20', raw: 'INVITE x', srcPort: 5080 })])).toHaveLength(2);
    expect(foldDuplicates([a, makeStored({ captureId: '20', raw: 'INVITE x', dstIp: '10.0.0.9' })])).toHaveLength(2);
  });

  it('keeps copies apart when they are further apart than the window', () => {
    const a = makeStored({ ts: T0, captureId: '10', raw: 'INVITE x' });
    const b = makeStored({ ts: T0 + 500_001, captureId: '20', raw: 'INVITE x' });
    expect(foldDuplicates([a, b], 500_000)).toHaveLength(2);
    expect(foldDuplicates([a, { ...b, ts: T0 + 500_000 }], 500_000)).toHaveLength(1);
  });

  it('does not fold a second sending seen by the same capture point: it is a retransmission', () => {
    const a = makeStored({ ts: T0, captureId: '1', raw: 'INVITE x' });
    const b = makeStored({ ts: T0 + 500, captureId: '1', raw: 'INVITE x' });
    const out = foldDuplicates([a, b]);
    expect(out.map((f) => f.retransmission)).toEqual([false, true]);
  });

  it('flags a 2xx retransmitted on the same hop, once per sending, with both capture points folded', () => {
    const ok = { method: null, status: 200, reason: 'OK', raw: '200 OK x' };
    const first10 = makeStored({ ts: T0, captureId: '10', ...ok });
    const first20 = makeStored({ ts: T0 + 200, captureId: '20', ...ok });
    const again10 = makeStored({ ts: T0 + 500_000, captureId: '10', ...ok });
    const again20 = makeStored({ ts: T0 + 500_200, captureId: '20', ...ok });
    const out = foldDuplicates([first10, first20, again10, again20]);
    expect(out.map((f) => [f.captureIds, f.retransmission])).toEqual([[['10', '20'], false], [['10', '20'], true]]);
  });

  it('does not flag the same transaction on another hop (a proxy relaying) as a retransmission', () => {
    const a = makeStored({ ts: T0, raw: 'INVITE 1' });
    const b = makeStored({ ts: T0 + 100, srcIp: '10.0.0.5', dstIp: '10.0.1.20', raw: 'INVITE 2' });
    expect(foldDuplicates([a, b]).map((f) => f.retransmission)).toEqual([false, false]);
  });

  it('does not flag a request whose branch differs (a new transaction) nor a message without CSeq', () => {
    const a = makeStored({ ts: T0, raw: 'a' });
    const b = makeStored({ ts: T0 + 1, viaBranch: 'z9hG4bK-2', raw: 'b' });
    expect(foldDuplicates([a, b]).map((f) => f.retransmission)).toEqual([false, false]);
    const log1 = makeStored({ protoType: 100, method: null, cseqNum: null, raw: 'log' });
    const log2 = makeStored({ ts: T0 + 600_000, protoType: 100, method: null, cseqNum: null, raw: 'log' });
    expect(foldDuplicates([log1, log2]).map((f) => f.retransmission)).toEqual([false, false]);
  });
});
