/**
 * GET /api/v1/live on a real server (SQLite file, HEP over TCP on 127.0.0.1): a group stream is
 * told when its call, or a leg that joins it later, is stored, and not for other calls; a search
 * stream for any new call, or under filters only for calls that could match them; a reconnect
 * resumes from its last event id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, startTestServer, waitFor, type TestServer } from '../../testing/harness.ts';
import { LIVE_EVENT_HEADER } from '../schemas.ts';
import { makeInput } from '../../testing/hep.ts';
import { makeMessage } from '../../testing/sip-messages.ts';
import { encodeHep3 } from '../../hep/encode.ts';
import { sendPackets } from '../../replay/sender.ts';
import { openSse, type SseClient } from '../../live/sse-client.ts';

/** One SIP request of `callId` as HEP3 from `from` to `to`, with extra headers (a link, say). */
function request(callId: string, cseq: number, extra: string[] = [], from = 'alice', to = 'bob'): Buffer {
  const sip = makeMessage(`INVITE sip:${to}@example.com SIP/2.0`, [
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + cseq, `From: <sip:${from}@example.com>;tag=a1`, `To: <sip:${to}@example.com>`,
    `Call-ID: ${callId}`, `CSeq: ${cseq} INVITE`, ...extra,
  ]);
  return encodeHep3(makeInput({ payload: sip, tsSec: Math.floor(Date.now() / 1000), tsUsec: cseq }));
}

describe('GET /api/v1/live', () => {
  let s: TestServer;
  const streams: SseClient[] = [];
  const open = async (query: string, lastEventId?: string) => {
    const c = await openSse(`${s.httpUrl}/api/v1/live?${query}`, lastEventId);
    streams.push(c);
    return c;
  };
  const send = (...packets: Buffer[]) => sendPackets({ transport: 'tcp', host: '127.0.0.1', port: s.hepTcp!.port }, packets, { rate: 0 });

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    for (const c of streams) c.close();
    await s?.stop();
  });

  it('tells a group stream of its own call and of a leg that joins later, not of other calls', async () => {
    await send(request('live-a@h', 1));
    await waitFor(async () => (await s.get('/api/v1/groups/live-a%40h', true)).status === 200, 'live-a stored');
    const calls = await open('calls=1');
    const flow = await open('group=live-a%40h');
    await flow.next((e) => e.event === 'ready' || e.event === 'change');
    await calls.next((e) => e.event === 'ready' || e.event === 'change');
    const before = flow.events.length;

    // Another call: the search stream hears of it. Then a message of the call itself: the group
    // stream's first change is that one (events on one stream arrive in order).
    await send(request('other@h', 1));
    await calls.next((e) => e.event === 'change', calls.events.length);
    await send(request('live-a@h', 2));
    await flow.next((e) => e.event === 'change', before);
    await waitFor(async () => (await s.get('/api/v1/groups/live-a%40h')).body.messages.length === 2, 'live-a 2 stored');
    expect(flow.events.slice(before).filter((e) => e.event === 'change')).toHaveLength(1);

    // Leg B names A (X-CID): it joins the group; then a message of B alone, which names nothing.
    let n = flow.events.length;
    await send(request('live-b@h', 1, ['X-CID: live-a@h']));
    await flow.next((e) => e.event === 'change', n);
    await waitFor(async () => (await s.get('/api/v1/groups/live-a%40h')).body.callIds.length === 2, 'B joined A');
    n = flow.events.length;
    await send(request('live-b@h', 2));
    await flow.next((e) => e.event === 'change', n);
  });

  it('tells a search stream filtered on user=alice of alice\'s new call and not of bob\'s', async () => {
    const seqOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1));
    // Both streams resume from the current event id: they start `ready`, with no change just sent
    // that would hold the next one back for a second.
    const probe = await open('calls=1');
    await probe.next((e) => e.event === 'ready' || e.event === 'change');
    probe.close();
    const alice = await open('calls=1&user=alice', probe.lastEventId);
    const all = await open('calls=1', probe.lastEventId);
    expect((await alice.next((e) => e.event === 'ready' || e.event === 'change')).event).toBe('ready');
    expect((await all.next((e) => e.event === 'ready' || e.event === 'change')).event).toBe('ready');

    // Bob calls carol: the unfiltered stream hears of it at once, with tick `bobSeq`.
    const n = all.events.length;
    await send(request('bob-1@h', 1, [], 'bob', 'carol'));
    const bobSeq = seqOf((await all.next((e) => e.event === 'change', n)).id);

    // Alice calls dave: the filtered stream's first change is that one (told of bob's call, it
    // would have had a change with bob's tick at the same moment as the unfiltered stream).
    await send(request('alice-1@h', 1, [], 'alice', 'dave'));
    const change = await alice.next((e) => e.event === 'change');
    expect(seqOf(change.id)).toBeGreaterThan(bobSeq);
    const found = (await s.get('/api/v1/calls?user=alice')).body.items.map((i: { groupId: string }) => i.groupId);
    expect(found).toContain('alice-1@h');
    expect(found).not.toContain('bob-1@h');
  });

  it('search lists with the same filters share one answer per change; a later change is read afresh', async () => {
    const shared = async () => {
      const text = (await s.get<string>('/metrics')).body;
      return { shared: metric(text, 'hepflow_live_search_pages_total{answer="shared"}'), read: metric(text, 'hepflow_live_search_pages_total{answer="read"}') };
    };
    /** The search as a live list refetches it: saying which event it follows. */
    const refetch = async (event: string) => {
      const res = await fetch(`${s.httpUrl}/api/v1/calls?user=sharer&limit=10`, { headers: { [LIVE_EVENT_HEADER]: event } });
      expect(res.status).toBe(200);
      return (await res.json() as { items: { groupId: string }[] }).items.map((i) => i.groupId);
    };
    const a = await open('calls=1&user=sharer');
    const b = await open('calls=1&user=sharer');
    await a.next((e) => e.event === 'ready' || e.event === 'change');
    await b.next((e) => e.event === 'ready' || e.event === 'change');
    const [na, nb] = [a.events.length, b.events.length];
    await send(request('share-1@h', 1, [], 'sharer', 'x'));
    const [ea, eb] = await Promise.all([a.next((e) => e.event === 'change', na), b.next((e) => e.event === 'change', nb)]);

    const before = await shared();
    expect(await refetch(ea.id)).toEqual(['share-1@h']);
    expect(await refetch(eb.id)).toEqual(['share-1@h']);
    expect(await shared()).toEqual({ shared: before.shared + 1, read: before.read + 1 });

    // A new call: the list told of it is not given the page read before it.
    const n = a.events.length;
    await send(request('share-2@h', 1, [], 'sharer', 'y'));
    const later = await a.next((e) => e.event === 'change', n);
    expect((await refetch(later.id)).sort()).toEqual(['share-1@h', 'share-2@h']);
    expect(await shared()).toEqual({ shared: before.shared + 1, read: before.read + 2 });
    // A search that follows no event is always read, and not counted as a live list's.
    expect((await s.get('/api/v1/calls?user=sharer&limit=10')).body.items).toHaveLength(2);
    expect(await shared()).toEqual({ shared: before.shared + 1, read: before.read + 2 });
  });

  it('a large shared answer goes gzipped, the same for every list', async () => {
    const a = await open('calls=1&user=zipper');
    await a.next((e) => e.event === 'ready' || e.event === 'change');
    const n = a.events.length;
    await send(...Array.from({ length: 20 }, (_, i) => request(`zip-${i}@h`, 1, [], 'zipper', `callee-${i}`)));
    await waitFor(async () => (await s.get('/api/v1/calls?user=zipper&limit=50')).body.items.length === 20, 'zipper calls stored');
    const event = (await a.next((e) => e.event === 'change', n)).id;
    const before = (await s.get<string>('/metrics')).body;
    const answers = [];
    for (let i = 0; i < 2; i++) {
      // The first of these reads (the waits above kept nothing: they named no event), the second is given its answer.
      const res = await fetch(`${s.httpUrl}/api/v1/calls?user=zipper&limit=40`, { headers: { [LIVE_EVENT_HEADER]: event, 'accept-encoding': 'gzip' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      answers.push(await res.text()); // fetch inflates it
    }
    expect(JSON.parse(answers[0]).items).toHaveLength(20);
    expect(answers[1]).toBe(answers[0]);
    const after = (await s.get<string>('/metrics')).body;
    const shared = 'hepflow_live_search_pages_total{answer="shared"}';
    expect(metric(after, shared) - metric(before, shared)).toBe(1);
  });

  it('refuses the filters GET /calls refuses', async () => {
    expect((await s.get('/api/v1/live?calls=1&status=42', true)).status).toBe(400);
    expect((await s.get('/api/v1/live?calls=1&from=yesterday', true)).status).toBe(400);
  });

  it('resumes from the last event id: nothing to fetch when nothing was missed, a change when something was', async () => {
    const flow = await open('group=resume%40h');
    await flow.next((e) => e.event === 'ready' || e.event === 'change');
    const last = flow.lastEventId;
    flow.close();
    const quiet = await open('group=resume%40h', last);
    expect((await quiet.next((e) => e.event === 'ready' || e.event === 'change')).event).toBe('ready');
    quiet.close();

    const calls = await open('calls=1');
    await calls.next((e) => e.event === 'ready' || e.event === 'change');
    const n = calls.events.length;
    await send(request('resume@h', 1));
    await calls.next((e) => e.event === 'change', n); // stored and ticked while the flow was away
    const resumed = await open('group=resume%40h', last);
    const first = await resumed.next((e) => e.event === 'ready' || e.event === 'change');
    expect(first.event).toBe('change');
    expect(JSON.parse(first.data)).toEqual({});
  });

  it('asks for a full refetch when the last event id is not this process\'s (a restart)', async () => {
    const c = await open('group=x%40h', 'deadbeef-42');
    const first = await c.next((e) => e.event === 'ready' || e.event === 'change');
    expect(first.event).toBe('change');
    expect(JSON.parse(first.data)).toEqual({ resync: true });
  });

  it('refuses a request that names neither a group nor the search list', async () => {
    const r = await s.get('/api/v1/live', true);
    expect(r.status).toBe(400);
  });

  it('counts open streams on /metrics', async () => {
    const c = await open('calls=1');
    await c.next((e) => e.event === 'ready' || e.event === 'change');
    const text = (await s.get<string>('/metrics')).body;
    expect(Number(/^hepflow_live_clients (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('when a batch was stored with no stream open, a resume resyncs and a new stream fetches once', async () => {
    const flow = await open('group=unread%40h');
    await flow.next((e) => e.event === 'ready' || e.event === 'change');
    const last = flow.lastEventId;
    for (const c of streams) c.close();
    await waitFor(async () => /^hepflow_live_clients 0$/m.test((await s.get<string>('/metrics')).body), 'every stream closed');
    // Nobody listens: the collector does not read what the batch touched, and the hub knows it.
    await send(request('unread@h', 1));
    await waitFor(async () => (await s.get('/api/v1/groups/unread%40h', true)).status === 200, 'unread@h stored');
    const resumed = await open('group=unread%40h', last);
    const first = await resumed.next((e) => e.event === 'ready' || e.event === 'change');
    expect(first.event).toBe('change');
    expect(JSON.parse(first.data)).toEqual({ resync: true });
    const fresh = await open('group=other-unread%40h');
    expect((await fresh.next((e) => e.event === 'ready' || e.event === 'change')).event).toBe('change');
  });
});
