import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../store/types.ts';
import { DEDUP_WINDOW_MICROS, duplicateCandidates, foldDuplicates as foldWith } from './dedup.ts';
import { makeStored, payloadsOf, T0 } from '../testing/correlate.ts';

/** Folds with every payload at hand. */
const foldDuplicates = (messages: StoredMessage[], windowMicros?: number) => foldWith(messages, payloadsOf(messages), windowMicros);

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

/*
 * The API reads payloads only for the candidates (api/group-view.ts). Proxy P traced by capture
 * points "10" and "20"; A → P seen by both, P → B by "20" only:
 *   t0        INVITE A→P  by 10      t0+200µs  INVITE A→P  by 20   → a pair: both candidates
 *   t0+1ms    INVITE P→B  by 20      t0+2ms    INVITE P→B  by 20   → one capture point: none
 */
describe('duplicateCandidates', () => {
  const AP = { srcIp: '10.0.1.10', dstIp: '10.0.0.5' };
  const PB = { srcIp: '10.0.0.5', dstIp: '10.0.1.20' };

  it('names both messages of a pair on one hop seen from two capture points', () => {
    const a = makeStored({ ts: T0, captureId: '10', ...AP });
    const b = makeStored({ ts: T0 + 200, captureId: '20', ...AP });
    const c = makeStored({ ts: T0 + 1000, captureId: '20', ...PB });
    const d = makeStored({ ts: T0 + 2000, captureId: '20', ...PB });
    expect(duplicateCandidates([a, b, c, d]).sort()).toEqual([a.id, b.id].sort());
  });

  it('names none for one capture point, other hops, other branches or pairs further apart than the window', () => {
    const a = makeStored({ ts: T0, captureId: '10' });
    expect(duplicateCandidates([a, makeStored({ ts: T0 + 1, captureId: '10' })])).toEqual([]);
    expect(duplicateCandidates([a, makeStored({ ts: T0 + 1, captureId: '20', dstPort: 5080 })])).toEqual([]);
    expect(duplicateCandidates([a, makeStored({ ts: T0 + 1, captureId: '20', viaBranch: 'z9hG4bK-2' })])).toEqual([]);
    expect(duplicateCandidates([a, makeStored({ ts: T0 + 500_001, captureId: '20' })], 500_000)).toEqual([]);
  });

  it('folds with the candidates\' payloads only exactly as with every payload', () => {
    // Few values per field, so that hops, branches, capture points and payloads collide often.
    const message = fc.record({
      dt: fc.integer({ min: 0, max: 400_000 }),
      captureId: fc.constantFrom('10', '20', '30'),
      dstIp: fc.constantFrom('10.0.0.5', '10.0.1.20'),
      viaBranch: fc.constantFrom('z9hG4bK-1', 'z9hG4bK-2'),
      status: fc.constantFrom(null, 200),
      raw: fc.constantFrom('x', 'y'),
    });
    fc.assert(fc.property(fc.array(message, { maxLength: 30 }), (specs) => {
      let ts = T0;
      const messages = specs.map(({ dt, status, ...o }) => makeStored({ ts: (ts += dt), status, method: status === null ? 'INVITE' : null, ...o }));
      const wanted = new Set(duplicateCandidates(messages));
      const some = new Map(messages.filter((m) => wanted.has(m.id)).map((m) => [m.id, m.raw]));
      expect(foldWith(messages, some)).toEqual(foldWith(messages, payloadsOf(messages)));
    }));
  });

  it('does not fold a pair whose payloads are unknown', () => {
    const a = makeStored({ ts: T0, captureId: '10', raw: 'INVITE x' });
    const b = makeStored({ ts: T0 + 300, captureId: '20', raw: 'INVITE x' });
    expect(foldWith([a, b], new Map())).toHaveLength(2);
  });
});
