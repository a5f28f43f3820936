import { describe, it, expect } from 'vitest';
import { closeGroup, type RowSource } from './closure.ts';
import { makeStored, T0 } from '../testing/correlate.ts';
import type { StoredMessage } from '../store/types.ts';

const opts = { correlationHeaders: ['X-CID'] };

/** An INVITE of `callId` with `extra` headers, as captured. */
function invite(callId: string, sec: number, extra: string[] = []): StoredMessage {
  const raw = ['INVITE sip:bob@example.com SIP/2.0', `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`,
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
    ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  return makeStored({ callId, ts: T0 + sec * 1_000_000, raw });
}

/** A row source over `rows`, answering as the store's queries do: by Call-ID, correlation id or text. */
function sourceOf(rows: StoredMessage[]): RowSource {
  return {
    async seedTime(id) {
      return rows.find((m) => m.callId === id || m.hepCorrelationId === id)?.ts ?? null;
    },
    async rowsNaming(ids, from, to) {
      return rows.filter((m) => m.ts >= from && m.ts <= to
        && ids.some((id) => m.callId === id || m.hepCorrelationId === id || m.raw.includes(id)));
    },
    order: (a, b) => a.ts - b.ts,
  };
}

describe('closeGroup', () => {
  it('follows links in both directions, transitively, from any leg', async () => {
    // a ◄─X-CID─ b ◄─X-CID─ c
    const rows = [invite('c', 2, ['X-CID: b']), invite('a', 0), invite('b', 1, ['X-CID: a'])];
    for (const id of ['a', 'b', 'c']) {
      const g = (await closeGroup(sourceOf(rows), id, opts))!;
      expect(g.record.callIds).toEqual(['a', 'b', 'c']);
      expect(g.record.links.map((l) => [l.callId, l.target, l.rule])).toEqual([['b', 'a', 'header'], ['c', 'b', 'header']]);
      expect([g.start, g.end]).toEqual([T0, T0 + 2_000_000]);
    }
  });

  it('leaves out a row that names an id of the group only by chance in its text', async () => {
    const rows = [invite('core9', 0), invite('core9-legX', 1)];
    const g = (await closeGroup(sourceOf(rows), 'core9', opts))!;
    expect(g.record.callIds).toEqual(['core9']);
  });

  it('answers null for an id no row names', async () => {
    expect(await closeGroup(sourceOf([invite('a', 0)]), 'nobody', opts)).toBeNull();
  });

  it('orders the messages as the source orders them', async () => {
    const rows = [invite('b', 1, ['X-CID: a']), invite('a', 0)];
    const src = { ...sourceOf(rows), order: (x: StoredMessage, y: StoredMessage) => y.ts - x.ts };
    const g = (await closeGroup(src, 'a', opts))!;
    expect(g.record.messages.map((m) => m.callId)).toEqual(['b', 'a']);
  });
});
