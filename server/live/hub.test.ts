/** The hub gathers keys into numbered ticks, keeps recent ones for resumes, and says when it lost some. */
import { describe, expect, it } from 'vitest';
import { LiveHub, type HubEvent, type Tick } from './hub.ts';
import { hits, groupWatch, searchWatch } from './watch.ts';
import { idKey, termKey, touchedBy } from './keys.ts';
import { decodeNotices, encodeNotices, MAX_NOTICE_BYTES } from './notice.ts';
import type { MessageInput } from '../store/types.ts';
import { makeMessage as storeMessage } from '../testing/store-suite.ts';

/** What a batch of these ids touched, with no search terms. */
const touched = (keys: number[], minTs: number) => ({ keys, terms: [], linked: false, minTs });

/** The store suite's message, on Call-ID a@h. */
const makeMessage = (o: Partial<MessageInput> = {}) => storeMessage({ callId: 'a@h', ...o });

describe('LiveHub', () => {
  it('sends keys published before a flush as one tick with the next seq', () => {
    const hub = new LiveHub({ coalesceMs: 60_000 });
    const seen: HubEvent[] = [];
    hub.listen((e) => seen.push(e));
    hub.publish(touched([1, 2], 500));
    hub.publish(touched([2, 3], 400));
    expect(seen).toEqual([]);
    hub.flush();
    expect(seen).toHaveLength(1);
    const e = seen[0];
    expect(e.kind === 'tick' && [...e.tick.keys]).toEqual([1, 2, 3]);
    expect(e.kind === 'tick' && e.tick.minTs).toBe(400);
    expect(hub.lastSeq).toBe(1);
    hub.flush(); // nothing gathered: no tick
    expect(seen).toHaveLength(1);
    hub.close();
  });

  it('answers the ticks after a seq, or null once they are no longer all kept', () => {
    const hub = new LiveHub({ coalesceMs: 60_000, maxReplayKeys: 4 });
    for (let i = 0; i < 4; i++) {
      hub.publish(touched([i * 10, i * 10 + 1], 0));
      hub.flush();
    }
    // 8 keys were sent, 4 are kept: ticks 3 and 4.
    expect(hub.since(4)).toEqual([]);
    expect(hub.since(2)?.map((t) => t.seq)).toEqual([3, 4]);
    expect(hub.since(1)).toBeNull();
    hub.close();
  });

  it('after a gap every earlier seq is unknown and listeners hear of it', () => {
    const hub = new LiveHub({ coalesceMs: 60_000 });
    const seen: HubEvent[] = [];
    hub.listen((e) => seen.push(e));
    hub.publish(touched([1], 0));
    hub.flush();
    hub.gap();
    expect(seen.at(-1)).toEqual({ kind: 'gap', seq: 2 });
    expect(hub.since(1)).toBeNull();
    expect(hub.since(2)).toEqual([]);
    hub.close();
  });

  it('reads back only its own event ids', () => {
    const hub = new LiveHub({ coalesceMs: 60_000 });
    hub.publish(touched([1], 0));
    hub.flush();
    expect(hub.seqOf(hub.eventId(1))).toBe(1);
    expect(hub.seqOf('00000000-1')).toBeNull(); // another process (or before a restart)
    expect(hub.seqOf(hub.eventId(7))).toBeNull(); // from the future: not ours
    expect(hub.seqOf('garbage')).toBeNull();
    expect(hub.seqOf(undefined)).toBeNull();
    hub.close();
  });
});

describe('touchedBy and watches', () => {
  /**
   *   leg A  a@h            (watched: the open flow)
   *   leg B  b@h  X-CID → a@h   (joins later through its link)
   */
  it('a batch touches its Call-IDs, correlation ids and link targets, so a leg that names the group hits it', () => {
    const watch = groupWatch('a@h', ['a@h']);
    const joining = touchedBy([makeMessage({ callId: 'b@h', links: [{ target: 'a@h', rule: 'header', header: 'X-CID', value: 'a@h' }] })]);
    const other = touchedBy([makeMessage({ callId: 'c@h', hepCorrelationId: 'corr-1', ts: 5 })]);
    const tick = (t: { keys: number[]; minTs: number }) => ({ seq: 1, at: 0, keys: new Set(t.keys), terms: new Set<number>(), linked: false, minTs: t.minTs });
    expect(hits(watch, tick(joining))).toBe(true);
    expect(hits(watch, tick(other))).toBe(false);
    expect(other.keys).toEqual([idKey('c@h'), idKey('corr-1')]);
    expect(other.minTs).toBe(5);
  });

  it('a search watch ignores changes to messages after the end of its range', () => {
    const tick = { seq: 1, at: 0, keys: new Set([1]), terms: new Set<number>(), linked: false, minTs: 2000 };
    expect(hits({ kind: 'calls', to: 1000, match: null }, tick)).toBe(false);
    expect(hits({ kind: 'calls', to: 2000, match: null }, tick)).toBe(true);
    expect(hits({ kind: 'calls', to: null, match: null }, tick)).toBe(true);
  });

  it('terms are read only while a filtered list listens; a tick without them hits every filtered watch', () => {
    const hub = new LiveHub();
    const offIds = hub.listen(() => {});
    expect(hub.termsWanted).toBe(false);
    const offTerms = hub.listen(() => {}, true);
    expect(hub.termsWanted).toBe(true);
    offTerms();
    offTerms(); // a second call changes nothing
    expect(hub.termsWanted).toBe(false);
    offIds();

    const batch = [makeMessage({ fromUser: 'alice', toUser: 'bob' })];
    const whole = touchedBy(batch);
    const idsOnly = touchedBy(batch, false);
    expect(idsOnly).toEqual({ ...whole, terms: null });
    expect(whole.terms).toContain(termKey('user', 'alice'));

    // Merged into one tick with a batch whose terms were read, the tick's terms are unknown.
    const ticks: HubEvent[] = [];
    hub.listen((e) => ticks.push(e));
    hub.publish(whole);
    hub.publish(idsOnly);
    hub.flush();
    const tick = ticks[0].kind === 'tick' ? ticks[0].tick : null;
    expect(tick?.terms).toBeNull();
    const carol = searchWatch({ user: 'carol' }, []);
    expect(hits(carol, tick!)).toBe(true);
    hub.publish(whole);
    hub.flush();
    expect(hits(carol, (ticks[1] as { tick: Tick }).tick)).toBe(false);
    expect(hits(searchWatch({ user: 'alice' }, []), (ticks[1] as { tick: Tick }).tick)).toBe(true);
  });

  it('idKey gives the same safe integer for the same id, whatever its length', () => {
    const long = 'x'.repeat(65_535);
    expect(idKey(long)).toBe(idKey('x'.repeat(65_535)));
    expect(Number.isSafeInteger(idKey(long))).toBe(true);
    expect(idKey('a@h')).not.toBe(idKey('b@h'));
  });
});

describe('NOTIFY payloads', () => {
  it('split a large batch below the PostgreSQL limit and read back to the same keys', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => idKey(`call-${i}@host`));
    const payloads = encodeNotices({ keys, terms: [], linked: false, minTs: 1_700_000_000_000_000 });
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    const back = payloads.map(decodeNotices);
    expect(back.flatMap((b) => (b && b !== 'gap' ? b.keys : []))).toEqual(keys);
    expect(back.every((b) => b !== null && b !== 'gap' && b.minTs === 1_700_000_000_000_000)).toBe(true);
  });

  it('carry search terms and the link flag across the split', () => {
    const t = { keys: [1, 2], terms: Array.from({ length: 2000 }, (_, i) => i * 7919), linked: true, minTs: 5 };
    const back = encodeNotices(t).map(decodeNotices).filter((b) => b !== null && b !== 'gap');
    expect(back.length).toBeGreaterThan(1);
    expect(back.flatMap((b) => b.keys)).toEqual([1, 2]);
    expect(back.flatMap((b) => b.terms)).toEqual(t.terms);
    expect(back.some((b) => b.linked)).toBe(true);
    expect(decodeNotices('5 t')).toBeNull();
  });

  it('say when a batch\'s terms were not read', () => {
    const [payload] = encodeNotices({ keys: [1], terms: null, linked: true, minTs: 5 });
    expect(decodeNotices(payload)).toEqual({ keys: [1], terms: null, linked: true, minTs: 5 });
    expect(decodeNotices(encodeNotices({ keys: [1], terms: [], linked: false, minTs: 5 })[0])).toEqual({ keys: [1], terms: [], linked: false, minTs: 5 });
  });

  it('read "gap" as lost notices and anything else malformed as nothing', () => {
    expect(decodeNotices('gap')).toBe('gap');
    expect(decodeNotices('12 x')).toBeNull();
    expect(decodeNotices('12')).toBeNull();
    expect(decodeNotices('')).toBeNull();
  });
});
