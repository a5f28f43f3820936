import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../collector/metrics.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { encodeHep3 } from '../hep/encode.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { sendPackets } from '../replay/sender.ts';
import { makeResponse, makeStored, T0 } from '../testing/correlate.ts';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { LiveCalls } from './live-calls.ts';

describe('LiveCalls', () => {
  it('reports a call once, at its final answer, and each problem once per call', async () => {
    const metrics = new Metrics();
    const live = new LiveCalls(metrics.kpiSink, 10);
    const inv = makeStored({ callId: 'k1' });
    live.observe(inv);
    live.observe(makeResponse(inv, 503, 'Service Unavailable', { ts: T0 + 200_000 }));
    live.observe(makeResponse(inv, 503, 'Service Unavailable', { ts: T0 + 700_000 }));
    live.observe(makeResponse(inv, 503, 'Service Unavailable', { ts: T0 + 1_700_000 }));
    const text = await metrics.text();
    expect(metric(text, 'hepflow_calls_total{disposition="failed",status_class="5xx"}')).toBe(1);
    expect(metric(text, 'hepflow_call_problems_total{code="server-error-5xx"}')).toBe(1);
    expect(metric(text, 'hepflow_call_problems_total{code="retransmissions"}')).toBe(1);
    expect(metric(text, 'hepflow_call_pdd_seconds_count')).toBe(1);
    expect(metric(text, 'hepflow_call_pdd_seconds_sum')).toBeCloseTo(0.2);
    expect(metric(text, 'hepflow_call_setup_seconds_count')).toBe(0);
  });

  it('forgets a call once its BYE is answered 2xx', () => {
    const live = new LiveCalls(new Metrics().kpiSink, 10);
    const inv = makeStored({ callId: 'k2' });
    live.observe(inv);
    live.observe(makeResponse(inv, 200, 'OK', { ts: T0 + 100 }));
    const bye = makeStored({ callId: 'k2', ts: T0 + 1000, method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'tt1', viaBranch: 'z9hG4bK-bye' });
    live.observe(bye);
    expect(live.size).toBe(1);
    live.observe(makeResponse(bye, 200, 'OK', { ts: T0 + 1100 }));
    expect(live.size).toBe(0);
  });

  it('holds at most maxCalls calls, forgetting the oldest and counting it', async () => {
    const metrics = new Metrics();
    const live = new LiveCalls(metrics.kpiSink, 3);
    const now = Date.now() * 1000; // the scrape times out calls by the wall clock: these are recent
    for (let i = 0; i < 5; i++) live.observe(makeStored({ callId: `c${i}`, ts: now + i }));
    expect(live.size).toBe(3);
    expect(metric(await metrics.text(), 'hepflow_calls_evicted_total')).toBe(2);
    // c0 was forgotten: its 200 now starts a fresh state with no INVITE, so it is not reported.
    live.observe(makeResponse(makeStored({ callId: 'c0', ts: now }), 200, 'OK', { ts: now + 10 }));
    // c4 is still followed: its 200 is reported.
    live.observe(makeResponse(makeStored({ callId: 'c4', ts: now + 4 }), 200, 'OK', { ts: now + 10 }));
    expect(metric(await metrics.text(), 'hepflow_calls_total{disposition="answered",status_class="2xx"}')).toBe(1);
  });

  it('reports an INVITE unanswered for 64×T1 as failed with no-final-response, by the traffic\'s clock', async () => {
    const metrics = new Metrics();
    const live = new LiveCalls(metrics.kpiSink, 100);
    const inv = makeStored({ callId: 'lost' });
    live.observe(inv);
    live.observe(makeResponse(inv, 180, 'Ringing', { ts: T0 + 100_000 }));
    live.observe(makeStored({ callId: 'ping', method: 'OPTIONS', cseqMethod: 'OPTIONS', ts: T0 + 1_000 }));
    // An answered call in its dialog: reported once at its 200, followed on past Timer B.
    const talk = makeStored({ callId: 'talk', ts: T0 + 2_000 });
    live.observe(talk);
    live.observe(makeResponse(talk, 200, 'OK', { ts: T0 + 3_000 }));
    // The counters as they stand: metrics.text() would also time calls out by the wall clock.
    const textAt = (m: Metrics) => m.registry.metrics();
    const failed = 'hepflow_calls_total{disposition="failed",status_class="none"}';
    // 31 s on, another call's message: Timer B (32 s) has not run out.
    live.observe(makeStored({ callId: 'next', ts: T0 + 31_000_000 }));
    live.expire(T0 + 31_000_000);
    expect(metric(await textAt(metrics), failed)).toBe(0);
    live.observe(makeStored({ callId: 'next', ts: T0 + 33_000_000, method: 'ACK', cseqMethod: 'ACK', toTag: 'x', viaBranch: 'z9hG4bK-a' }));
    live.expire(T0 + 33_000_000);
    const t = await textAt(metrics);
    expect(metric(t, failed)).toBe(1);
    expect(metric(t, 'hepflow_call_problems_total{code="no-final-response"}')).toBe(1);
    expect(metric(t, 'hepflow_calls_total{disposition="answered",status_class="2xx"}')).toBe(1);
    // 'lost' and 'ping' are forgotten; 'talk' (in its dialog) and 'next' are followed.
    expect(live.size).toBe(2);
    live.observe(makeResponse(inv, 200, 'OK', { ts: T0 + 34_000_000 })); // too late: a fresh state, no INVITE, not reported
    expect(metric(await textAt(metrics), 'hepflow_calls_total{disposition="answered",status_class="2xx"}')).toBe(1);
  });

  it('times out the calls of a collector gone quiet when scraped, by the wall clock', async () => {
    const metrics = new Metrics();
    const inv = makeStored({ callId: 'quiet', ts: Date.now() * 1000 - 40_000_000 });
    metrics.liveCalls.observe(inv);
    expect(metrics.liveCalls.size).toBe(1);
    const t = await metrics.text();
    expect(metric(t, 'hepflow_calls_total{disposition="failed",status_class="none"}')).toBe(1);
    expect(metrics.liveCalls.size).toBe(0);
  });
});

/*
 * Over real UDP: A (10.0.0.1) → B (10.0.0.2)
 *   INVITE  T+0        180 Ringing  T+0.4 s     486 Busy Here  T+2 s
 */
describe('/metrics call KPIs from the collector', () => {
  const T = 1_700_000_000;
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  const lines = (start: string, callId: string, toTag: string | null): string => [
    start,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-kpi',
    'From: <sip:alice@10.0.0.1>;tag=a1',
    `To: <sip:bob@10.0.0.2>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  const hep = (payload: string, usec: number, back = false, o: Partial<HepEncodeInput> = {}): Buffer => encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: back ? '10.0.0.2' : '10.0.0.1', dstIp: back ? '10.0.0.1' : '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: T + Math.floor(usec / 1e6), tsUsec: usec % 1e6, protoType: PROTO_TYPE.sip, captureId: 2001, payload, ...o,
  });

  it('counts a busy call by disposition and status class, with its PDD, and no Call-ID in any label', async () => {
    const id = 'kpi-busy-7f3e@10.0.0.1';
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port: s.hepUdp!.port }, [
      hep(lines('INVITE sip:bob@10.0.0.2 SIP/2.0', id, null), 0),
      hep(lines('SIP/2.0 180 Ringing', id, 'b1'), 400_000, true),
      hep(lines('SIP/2.0 486 Busy Here', id, 'b1'), 2_000_000, true),
    ], { rate: 0 });
    const text = await waitFor(async () => {
      const t = (await s.get<string>('/metrics')).body;
      return metric(t, 'hepflow_calls_total{disposition="busy",status_class="4xx"}') === 1 ? t : undefined;
    }, 'the busy call counted');
    expect(metric(text, 'hepflow_call_pdd_seconds_count')).toBe(1);
    expect(metric(text, 'hepflow_call_pdd_seconds_sum')).toBeCloseTo(0.4);
    expect(metric(text, 'hepflow_call_pdd_seconds_bucket{le="0.5"}')).toBe(1);
    expect(metric(text, 'hepflow_call_pdd_seconds_bucket{le="0.25"}')).toBe(0);
    expect(text).not.toContain('kpi-busy-7f3e');
    expect(text).not.toContain('alice');
  });
});
