/** A search list's stream is hit only by changes that could touch a row under its filters. */
import { describe, expect, it } from 'vitest';
import { hits, searchWatch } from './watch.ts';
import { touchedBy } from './keys.ts';
import type { Tick } from './hub.ts';
import { parseCallFilters } from '../api/query.ts';
import type { MessageInput } from '../store/types.ts';
import { makeMessage as storeMessage } from '../testing/store-suite.ts';

/** The store suite's message, on Call-ID a@h. */
const makeMessage = (o: Partial<MessageInput> = {}) => storeMessage({ callId: 'a@h', ...o });

/** The tick of one stored batch of these messages. */
function tickOf(...batch: MessageInput[]): Tick {
  const t = touchedBy(batch);
  return { seq: 1, at: 0, keys: new Set(t.keys), terms: new Set(t.terms), linked: t.linked, minTs: t.minTs };
}

/** The watch of a search with these query parameters, which found groups of these Call-IDs. */
const watch = (query: Record<string, string>, ...listed: string[]) =>
  searchWatch(parseCallFilters(query), listed.map((id) => ({ callIds: [id], correlationIds: [] })));

// A response of bob's 200 to a call of bob and carol's: from/to users bob, carol.
const bobsCall = (o: Partial<MessageInput> = {}) => makeMessage({ callId: 'b@h', fromUser: 'bob', toUser: 'carol', ruriUser: 'carol', ...o });

describe('search watches', () => {
  it('under user=alice, a message of alice\'s call hits, one of bob and carol\'s does not', () => {
    const w = watch({ user: 'alice' });
    expect(hits(w, tickOf(makeMessage()))).toBe(true);
    expect(hits(w, tickOf(makeMessage({ fromUser: 'bob', toUser: 'alice' })))).toBe(true);
    expect(hits(w, tickOf(bobsCall()))).toBe(false);
    // In one tick with alice's, bob's cannot hide it.
    expect(hits(w, tickOf(bobsCall(), makeMessage({ callId: 'c@h' })))).toBe(true);
  });

  /**
   *   a@h  INVITE 10.0.0.1 → 10.0.0.2 … 486 (listed under status=486)
   *   a@h  ACK    10.0.0.1 → 10.0.0.2      (names no status: a hit only because a@h is listed)
   */
  it('a change to a listed group hits though the message meets no filter, and an unlisted one does not', () => {
    const ack = (callId: string) => makeMessage({ callId, method: 'ACK', cseqMethod: 'ACK' });
    expect(hits(watch({ status: '486' }, 'a@h'), tickOf(ack('a@h')))).toBe(true);
    expect(hits(watch({ status: '486' }, 'a@h'), tickOf(ack('z@h')))).toBe(false);
    expect(hits(watch({ status: '486' }), tickOf(makeMessage({ callId: 'z@h', method: null, status: 486 })))).toBe(true);
  });

  it('a leg that links to a listed group hits through the id it names', () => {
    const leg = bobsCall({ callId: 'leg2@h', links: [{ target: 'a@h', rule: 'header', header: 'X-CID', value: 'a@h' }] });
    expect(hits(watch({ user: 'alice' }, 'a@h'), tickOf(leg))).toBe(true);
    expect(hits(watch({ user: 'alice' }, 'x@h'), tickOf(leg))).toBe(false);
  });

  it('under two filters or more, any link hits: a merge may join a group that met one to one that met the other', () => {
    const merge = bobsCall({ links: [{ target: 'elsewhere@h', rule: 'header', header: 'X-CID', value: 'elsewhere@h' }] });
    expect(hits(watch({ user: 'alice', ip: '192.0.2.9' }), tickOf(merge))).toBe(true);
    expect(hits(watch({ user: 'alice', ip: '192.0.2.9' }), tickOf(bobsCall()))).toBe(false);
    expect(hits(watch({ user: 'alice' }), tickOf(merge))).toBe(false);
  });

  it('matches any filter of several (a group meets each in a message of its own)', () => {
    const w = watch({ user: 'alice', method: 'refer' });
    expect(hits(w, tickOf(bobsCall({ method: 'REFER' })))).toBe(true);
    expect(hits(w, tickOf(bobsCall()))).toBe(false);
  });

  it('matches Call-ID and correlation id filters against every id a batch names, and free text against ids, users and addresses', () => {
    const corr = bobsCall({ hepCorrelationId: 'B2B.1' });
    expect(hits(watch({ callId: 'b@h' }), tickOf(corr))).toBe(true);
    expect(hits(watch({ correlationId: 'B2B.1' }), tickOf(corr))).toBe(true);
    expect(hits(watch({ callId: 'a@h' }), tickOf(corr))).toBe(false);
    for (const q of ['B2B.1', 'carol', '10.0.0.2']) expect(hits(watch({ q }), tickOf(corr))).toBe(true);
    expect(hits(watch({ q: 'alice' }), tickOf(corr))).toBe(false);
  });

  it('under a KPI filter, which no message can judge, any change hits', () => {
    expect(hits(watch({ user: 'alice', disposition: 'answered' }), tickOf(bobsCall()))).toBe(true);
    expect(hits(watch({ minDurationMs: '1000' }), tickOf(bobsCall()))).toBe(true);
  });

  it('without a content filter any change hits, and after `to` none does', () => {
    const late = tickOf(bobsCall({ ts: 2000 }));
    expect(hits(watch({}), late)).toBe(true);
    expect(hits(watch({ to: '1000' }), late)).toBe(false);
    expect(hits(watch({ to: '1000', user: 'bob' }), late)).toBe(false);
    expect(hits(watch({ to: '2000', user: 'bob' }), late)).toBe(true);
  });
});
