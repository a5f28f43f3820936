/**
 * GET /api/v1/live on a real server (SQLite file, HEP over TCP on 127.0.0.1): a group stream is
 * told when its call, or a leg that joins it later, is stored, and not for other calls; a search
 * stream for any new call; a reconnect resumes from its last event id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../../testing/harness.ts';
import { makeInput } from '../../testing/hep.ts';
import { makeMessage } from '../../testing/sip-messages.ts';
import { encodeHep3 } from '../../hep/encode.ts';
import { sendPackets } from '../../replay/sender.ts';
import { openSse, type SseClient } from '../../live/sse-client.ts';

/** One SIP request of `callId` as HEP3, with extra headers (a link, say). */
function request(callId: string, cseq: number, extra: string[] = []): Buffer {
  const sip = makeMessage(`INVITE sip:bob@example.com SIP/2.0`, [
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + cseq, 'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>',
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
});
