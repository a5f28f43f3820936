/**
 * The behaviour every store must have. sqlite.test.ts and postgres.test.ts run this same suite
 * against a real SQLite file and a real PostgreSQL database.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { KpiSink } from '../kpi/live-calls.ts';
import type { MessageInput, Store } from '../store/types.ts';

const T0 = 1_700_000_000_000_000; // µs

/** A SIP message with sensible defaults; override what a test is about. */
export function makeMessage(o: Partial<MessageInput> = {}): MessageInput {
  return {
    ts: T0, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060, transport: 'udp',
    captureId: '2001', hepCorrelationId: null, protoType: 1, callId: 'call-a', method: 'INVITE', status: null,
    reason: null, cseqNum: 1, cseqMethod: 'INVITE', fromUser: 'alice', fromTag: 'ft1', toUser: 'bob', toTag: null,
    ruriUser: 'bob', userAgent: 'test', viaBranch: 'z9hG4bK1', hasSdp: false,
    raw: 'INVITE sip:bob@10.0.0.2 SIP/2.0\r\nCall-ID: call-a\r\n\r\n', problems: null, links: [], ...o,
  };
}

/** An INVITE / 200 / ACK / BYE / 200 call. */
export function makeCall(callId: string, t: number, o: Partial<MessageInput> = {}): MessageInput[] {
  const m = (dt: number, p: Partial<MessageInput>) => makeMessage({ callId, ts: t + dt, raw: `${callId} ${dt}`, ...o, ...p });
  return [
    m(0, {}),
    m(1_000, { method: null, status: 100, reason: 'Trying', srcIp: '10.0.0.2', dstIp: '10.0.0.1' }),
    m(50_000, { method: null, status: 200, reason: 'OK', srcIp: '10.0.0.2', dstIp: '10.0.0.1', toTag: 'tt' }),
    m(60_000, { method: 'ACK', cseqMethod: 'ACK' }),
    m(5_000_000, { method: 'BYE', cseqNum: 2, cseqMethod: 'BYE' }),
    m(5_001_000, { method: null, status: 200, reason: 'OK', cseqNum: 2, cseqMethod: 'BYE', srcIp: '10.0.0.2', dstIp: '10.0.0.1' }),
  ];
}

export interface StoreHarness {
  open(): Promise<Store>;
  /** Called after each test: drop the database or delete the file. */
  destroy(store: Store): Promise<void>;
}

export function describeStoreSuite(name: string, h: StoreHarness): void {
  describeGroupReadsSuite(name, h);
  describe(`${name} store`, () => {
    let store: Store;
    beforeEach(async () => { store = await h.open(); });
    afterEach(async () => { await h.destroy(store); });

    it('returns a call\'s messages in time order whatever the insert order', async () => {
      const call = makeCall('c1', T0);
      await store.insert([call[3], call[0], call[5]]);
      await store.insert([call[1], call[4], call[2]]);
      const g = await store.getGroup('c1');
      expect(g?.callIds).toEqual(['c1']);
      expect(g?.messages.map((m) => m.ts)).toEqual(call.map((m) => m.ts));
      expect(g?.messages[0]).toMatchObject({ method: 'INVITE', fromUser: 'alice', captureId: '2001', hasSdp: false });
    });

    it('answers null for an id it never saw', async () => {
      await store.insert(makeCall('c1', T0));
      expect(await store.getGroup('nope')).toBeNull();
      expect(await store.getMessage('999999')).toBeNull();
    });

    it('groups calls that share a HEP correlation id and finds the group by any of its ids', async () => {
      const link = { target: 'b2b-key-1', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'b2b-key-1' };
      await store.insert(makeCall('leg-a', T0, { hepCorrelationId: 'b2b-key-1', links: [link] }));
      await store.insert(makeCall('leg-b', T0 + 10_000, { hepCorrelationId: 'b2b-key-1', links: [link] }));
      for (const id of ['leg-a', 'leg-b', 'b2b-key-1']) {
        const g = await store.getGroup(id);
        expect(g?.callIds.sort()).toEqual(['leg-a', 'leg-b']);
        expect(g?.correlationIds).toEqual(['b2b-key-1']);
        expect(g?.messages).toHaveLength(12);
      }
      const g = await store.getGroup('leg-b');
      expect(g?.groupId).toBe('leg-a');
      expect(g?.links.map((l) => [l.callId, l.target, l.rule])).toEqual([
        ['leg-a', 'b2b-key-1', 'hep-correlation-id'], ['leg-b', 'b2b-key-1', 'hep-correlation-id']]);
    });

    it('merges two groups that already exist when a late link arrives', async () => {
      await store.insert(makeCall('first', T0));
      await store.insert(makeCall('second', T0 + 1_000_000));
      await store.insert(makeCall('third', T0 + 2_000_000));
      expect((await store.getGroup('second'))?.callIds).toEqual(['second']);
      // A REFER in "second" names "first" (attended transfer); then "third" replaces "second".
      await store.insert([makeMessage({ callId: 'second', ts: T0 + 3_000_000, method: 'REFER', cseqMethod: 'REFER',
        links: [{ target: 'first', rule: 'refer-replaces', header: 'Refer-To', value: 'first;to-tag=a;from-tag=b' }] })]);
      await store.insert([makeMessage({ callId: 'third', ts: T0 + 3_100_000,
        links: [{ target: 'second', rule: 'replaces', header: 'Replaces', value: 'second' }] })]);
      const g = await store.getGroup('first');
      expect(g?.callIds.sort()).toEqual(['first', 'second', 'third']);
      expect(g?.groupId).toBe('first');
      const page = await store.searchGroups({ limit: 10 });
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ groupId: 'first', messages: 20 });
    });

    it('links a Call-ID named before any of its messages arrived', async () => {
      await store.insert([makeMessage({ callId: 'late-b', links: [{ target: 'late-a', rule: 'header', header: 'X-CID', value: 'late-a' }] })]);
      await store.insert(makeCall('late-a', T0 - 1_000_000));
      const g = await store.getGroup('late-a');
      expect(g?.callIds.sort()).toEqual(['late-a', 'late-b']);
      expect(g?.correlationIds).toEqual([]);
      expect(g?.groupId).toBe('late-a');
    });

    it('names, for each link, the message that carried it, wherever that message sits in a batch', async () => {
      const carriers = [0, 1, 17, 32, 39];
      const link = { target: 'blk-hub', rule: 'header' as const, header: 'X-CID', value: 'blk-hub' };
      await store.insert([makeMessage({ callId: 'blk-hub', ts: T0 - 1, raw: 'hub' }), ...Array.from({ length: 40 }, (_, i) =>
        makeMessage({ callId: `blk-${i}`, ts: T0 + i, raw: `blk ${i}`, links: carriers.includes(i) ? [link] : [] }))]);
      const g = await store.getGroup('blk-hub');
      const byId = new Map(g!.messages.map((m) => [m.id, m]));
      expect(g!.links.map((l) => [l.callId, byId.get(l.messageId)?.callId, byId.get(l.messageId)?.raw]).sort())
        .toEqual(carriers.map((i) => [`blk-${i}`, `blk-${i}`, `blk ${i}`]).sort());
    });

    it('summarises each group for search: caller, callee, legs, duration and final status', async () => {
      await store.insert(makeCall('s1', T0));
      await store.insert([
        makeMessage({ callId: 's2', ts: T0 + 10, fromUser: 'carol', ruriUser: 'dave', toUser: 'dave' }),
        makeMessage({ callId: 's2', ts: T0 + 20, method: null, status: 486, reason: 'Busy Here' }),
      ]);
      const page = await store.searchGroups({ limit: 10 });
      expect(page.items.map((i) => i.groupId)).toEqual(['s2', 's1']);
      expect(page.items[0]).toMatchObject({ caller: 'carol', callee: 'dave', status: 486, method: 'INVITE', messages: 2 });
      expect(page.items[1]).toMatchObject({ caller: 'alice', callee: 'bob', status: 200, start: T0, end: T0 + 5_001_000 });
    });

    it('filters search by time range, ids, user, address, method, status and free text', async () => {
      await store.insert(makeCall('f1', T0));
      await store.insert(makeCall('f2', T0 + 60_000_000, { fromUser: 'zed', srcIp: '192.0.2.7' }));
      await store.insert([makeMessage({ callId: 'f3', ts: T0 + 120_000_000, method: 'OPTIONS', cseqMethod: 'OPTIONS',
        hepCorrelationId: 'corr-9', links: [{ target: 'corr-9', rule: 'hep-correlation-id', header: '0x0011', value: 'corr-9' }] })]);
      const ids = async (q: object) => (await store.searchGroups({ limit: 50, ...q })).items.map((i) => i.groupId);
      expect(await ids({})).toEqual(['f3', 'f2', 'f1']);
      expect(await ids({ from: T0 + 30_000_000 })).toEqual(['f3', 'f2']);
      expect(await ids({ to: T0 + 30_000_000 })).toEqual(['f1']);
      expect(await ids({ callId: 'f2' })).toEqual(['f2']);
      expect(await ids({ correlationId: 'corr-9' })).toEqual(['f3']);
      expect(await ids({ user: 'zed' })).toEqual(['f2']);
      expect(await ids({ user: 'bob' })).toEqual(['f3', 'f2', 'f1']);
      expect(await ids({ ip: '192.0.2.7' })).toEqual(['f2']);
      expect(await ids({ method: 'options' })).toEqual(['f3']);
      expect(await ids({ method: 'BYE' })).toEqual(['f2', 'f1']);
      expect(await ids({ status: 200 })).toEqual(['f2', 'f1']);
      expect(await ids({ q: 'corr-9' })).toEqual(['f3']);
      expect(await ids({ q: 'zed' })).toEqual(['f2']);
      expect(await ids({ q: '192.0.2.7' })).toEqual(['f2']);
      expect(await ids({ q: 'nobody' })).toEqual([]);
    });

    it('pages through results with the cursor, each group once', async () => {
      for (let i = 0; i < 25; i++) await store.insert(makeCall(`p${i}`, T0 + (i % 5) * 1_000)); // ties on start
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.searchGroups({ limit: 7, cursor });
        seen.push(...page.items.map((i) => i.groupId));
        cursor = page.next ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(new Set(seen).size).toBe(25);
    });

    it('reads one message back by id with everything stored', async () => {
      const raw = 'INVITE sip:bob@b SIP/2.0\r\nFrom: "<script>x</script>" <sip:a@a>\r\n\r\n';
      await store.insert([makeMessage({ callId: 'm1', raw, problems: 'no-cseq', hasSdp: true })]);
      const g = await store.getGroup('m1');
      const m = await store.getMessage(g!.messages[0].id);
      expect(m).toMatchObject({ callId: 'm1', raw, problems: 'no-cseq', hasSdp: true, srcPort: 5060 });
    });

    it('finds the requests of a method within a time window', async () => {
      await store.insert(makeCall('r1', T0));
      await store.insert([makeMessage({ callId: 'r1', ts: T0 + 7_000_000, method: 'REFER', cseqNum: 3, cseqMethod: 'REFER' })]);
      await store.insert([makeMessage({ callId: 'r2', ts: T0 + 90_000_000, method: 'REFER', cseqMethod: 'REFER' })]);
      const found = await store.findRequests('REFER', T0, T0 + 60_000_000);
      expect(found.map((m) => [m.callId, m.ts])).toEqual([['r1', T0 + 7_000_000]]);
    });

    it('purges messages older than the retention and keeps the rest', async () => {
      await store.insert(makeCall('old', T0));
      await store.insert(makeCall('new', T0 + 86_400_000_000));
      const removed = await store.purge({ calls: T0 + 3_600_000_000, other: T0 + 3_600_000_000 });
      expect(removed).toBe(6);
      expect(await store.getGroup('old')).toBeNull();
      expect((await store.getGroup('new'))?.messages).toHaveLength(6);
      expect(await store.counts()).toEqual({ messages: 6, calls: 1, groups: 1 });
    });

    it('stores non-SIP payloads (logs) under the correlation id they came with', async () => {
      await store.insert(makeCall('log-call', T0));
      await store.insert([makeMessage({ callId: 'log-call', protoType: 100, method: null, cseqNum: null, cseqMethod: null,
        raw: 'ERROR:something failed', ts: T0 + 5 })]);
      const g = await store.getGroup('log-call');
      expect(g?.messages.filter((m) => m.protoType === 100).map((m) => m.raw)).toEqual(['ERROR:something failed']);
    });

    describe('call KPIs for /metrics, from the fold it writes search rows with', () => {
      const told = () => {
        const calls: string[] = [];
        const problems: string[] = [];
        const sink: KpiSink = {
          call: (d, c, pdd, setup) => { calls.push(`${d} ${c} pdd=${pdd} setup=${setup}`); },
          problem: (code) => { problems.push(code); },
          evicted: () => {},
        };
        return { sink, calls, problems };
      };
      const from = (callId: string, dt: number, p: Partial<MessageInput>) => makeMessage({ callId, ts: T0 + dt, raw: `${callId} ${dt}`, ...p });
      const reply = (callId: string, dt: number, status: number, p: Partial<MessageInput> = {}) =>
        from(callId, dt, { method: null, status, reason: 'r', srcIp: '10.0.0.2', dstIp: '10.0.0.1', toTag: 'tt', ...p });

      it('reports a call once at its final answer and each problem once, however the messages are batched', async () => {
        const t = told();
        store.followCalls(t.sink);
        const inv = from('k1', 0, {});
        await store.insert([inv, reply('k1', 400_000, 180, { toTag: 'tt' })]);
        await store.insert([reply('k1', 2_000_000, 503)]);
        await store.insert([reply('k1', 2_600_000, 503), reply('k1', 3_600_000, 503)]); // retransmissions
        expect(t.calls).toEqual(['failed 5xx pdd=400 setup=null']);
        expect(t.problems.sort()).toEqual(['retransmissions', 'server-error-5xx']);
      });

      it('counts a call challenged with 407 by the answer to its INVITE with credentials', async () => {
        const t = told();
        store.followCalls(t.sink);
        await store.insert([from('k2', 0, {}), reply('k2', 20_000, 407)]);
        await store.insert([from('k2', 40_000, { method: 'ACK', cseqMethod: 'ACK', toTag: 'tt' })]);
        await store.insert([from('k2', 60_000, { cseqNum: 2, viaBranch: 'z9hG4bK2' }), reply('k2', 900_000, 200, { cseqNum: 2, viaBranch: 'z9hG4bK2' })]);
        expect(t.calls).toEqual(['answered 2xx pdd=900 setup=900']);
      });

      it('times out an unanswered INVITE at 64×T1 by the traffic\'s clock or the one asked, and not again when answered late', async () => {
        const t = told();
        const expire = store.followCalls(t.sink);
        await store.insert([from('lost', 0, {})]);
        await store.insert([from('next', 31_000_000, { viaBranch: 'z9hG4bKn' })]);
        expect(t.calls).toEqual([]);
        await store.insert([reply('next', 33_000_000, 180, { viaBranch: 'z9hG4bKn' })]);
        expect(t.calls).toEqual(['failed none pdd=null setup=null']);
        expect(t.problems).toEqual(['no-final-response']);
        await store.insert([reply('lost', 34_000_000, 200)]);
        await expire(T0 + 62_000_000); // 31 s after the INVITE of "next"
        expect(t.calls).toHaveLength(1);
        await expire(T0 + 70_000_000);
        expect(t.calls).toEqual(['failed none pdd=null setup=null', 'failed none pdd=2000 setup=null']);
      });
    });
  });
}

/** The group view's reads (getGroupSlice, getPayloads) of what a store wrote. */
export function describeGroupReadsSuite(name: string, h: StoreHarness): void {
  describe(`${name} group reads`, () => {
    let store: Store;
    beforeEach(async () => { store = await h.open(); });
    afterEach(async () => { await h.destroy(store); });

    /*
     * One call of six messages, then three more at one µs (a tie the limit may cut):
     *   T0 … T0+5.001s   INVITE 100 200 ACK BYE 200          T0+6s ×3   OPTIONS (ids in write order)
     */
    async function storedGroup() {
      await store.insert(makeCall('c1', T0));
      await store.insert([0, 1, 2].map((i) => makeMessage({ callId: 'c1', ts: T0 + 6_000_000, method: 'OPTIONS', cseqNum: 3 + i,
        cseqMethod: 'OPTIONS', raw: `OPTIONS ${i}` })));
      return (await store.getGroup('c1'))!;
    }

    it('reads a group\'s messages without their payloads, in the order getGroup answers', async () => {
      const full = await storedGroup();
      const slice = await store.getGroupSlice('c1');
      expect(slice).toMatchObject({ groupId: 'c1', callIds: ['c1'], correlationIds: [], links: full.links, complete: true });
      expect(full.messages).toMatchObject(slice!.messages);
      expect(slice!.messages.map((m) => m.id)).toEqual(full.messages.map((m) => m.id));
    });

    it('reads the earliest `limit` messages and says whether more follow', async () => {
      const full = await storedGroup();
      const ids = (n?: number) => store.getGroupSlice('c1', n).then((s) => [s!.messages.map((m) => m.id), s!.complete]);
      const first = (n: number) => full.messages.slice(0, n).map((m) => m.id);
      expect(await ids(7)).toEqual([first(7), false]);
      expect(await ids(1)).toEqual([first(1), false]);
      expect(await ids(9)).toEqual([first(9), true]);
      expect(await ids(100)).toEqual([first(9), true]);
    });

    it('answers null for an id it never saw', async () => {
      await storedGroup();
      expect(await store.getGroupSlice('nope')).toBeNull();
      expect(await store.getGroupSlice('nope', 5)).toBeNull();
    });

    it('reads the payloads of the messages named, leaving out ids it does not hold', async () => {
      const full = await storedGroup();
      const [a, , c] = full.messages;
      const got = await store.getPayloads([a.id, c.id, 'nope', '999999', `1_call:999999:${T0}`]);
      expect(got).toEqual(new Map([[a.id, a.raw], [c.id, c.raw]]));
      expect(await store.getPayloads([])).toEqual(new Map());
    });
  });
}
