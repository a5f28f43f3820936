import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Metrics } from '../collector/metrics.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { encodeHep3 } from '../hep/encode.ts';
import type { HepEncodeInput } from '../hep/types.ts';
import { sendPackets } from '../replay/sender.ts';
import { makeResponse, makeStored, T0 } from '../testing/correlate.ts';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { beforeOf, LiveCalls } from './live-calls.ts';
import { KPI_DEFAULTS, newKpiState, updateKpi, type KpiMessage, type KpiState } from './state.ts';
import { CallKpis } from '../store/call-kpi.ts';
import { newCall, settleKpi, updateCall, type CallSummary } from '../store/summary.ts';

/** Folds each message into its call's state as a store does (store/call-kpi.ts), one batch per message, and tells `live`. */
function folding(live: LiveCalls): (m: KpiMessage & { callId: string }) => void {
  const states = new Map<string, KpiState>();
  return (m) => {
    let st = states.get(m.callId);
    if (st === undefined) states.set(m.callId, (st = newKpiState()));
    const before = beforeOf(st);
    updateKpi(st, m, KPI_DEFAULTS);
    live.settled(m.callId, st, before, m.ts);
    if (st.byeAnswered) states.delete(m.callId); // as the store's window lets an ended call go
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('LiveCalls', () => {
  it('forgets a call once its BYE is answered 2xx', () => {
    const live = new LiveCalls(new Metrics().kpiSink, 10);
    const observe = folding(live);
    const inv = makeStored({ callId: 'k2' });
    observe(inv);
    observe(makeResponse(inv, 200, 'OK', { ts: T0 + 100 }));
    const bye = makeStored({ callId: 'k2', ts: T0 + 1000, method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'tt1', viaBranch: 'z9hG4bK-bye' });
    observe(bye);
    expect(live.size).toBe(1);
    observe(makeResponse(bye, 200, 'OK', { ts: T0 + 1100 }));
    expect(live.size).toBe(0);
  });

  it('holds nothing of the calls that ended: memory stays flat over 30,000 calls', () => {
    const live = new LiveCalls(new Metrics().kpiSink, 100_000);
    const observe = folding(live);
    const run = (from: number) => {
      for (let i = from; i < from + 15_000; i++) {
        const ts = T0 + i * 1_000;
        const inv = makeStored({ callId: `flat-${i}@10.0.0.1`, ts, viaBranch: `z9hG4bK-${i}` });
        observe(inv);
        observe(makeResponse(inv, 200, 'OK', { ts: ts + 100 }));
        const bye = makeStored({ callId: inv.callId, ts: ts + 500, method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'tt1', viaBranch: `z9hG4bK-b${i}` });
        observe(bye);
        observe(makeResponse(bye, 200, 'OK', { ts: ts + 600 }));
      }
    };
    run(0); // warm: code, maps at their size
    gc();
    const before = process.memoryUsage().heapUsed;
    run(15_000);
    gc();
    expect(live.size).toBe(0);
    // A call's state is ~1-2 KB: kept, 15,000 of them would be 15-30 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4e6);
  });

  it('watches at most maxCalls calls, forgetting the oldest and counting it', async () => {
    const metrics = new Metrics();
    const live = new LiveCalls(metrics.kpiSink, 3);
    const observe = folding(live);
    const now = Date.now() * 1000;
    for (let i = 0; i < 5; i++) observe(makeStored({ callId: `c${i}`, ts: now + i }));
    expect(live.size).toBe(3);
    expect(metric(await metrics.registry.metrics(), 'hepflow_calls_evicted_total')).toBe(2);
    // c0 is no longer watched: its late answer is not counted (its search row still says it).
    observe(makeResponse(makeStored({ callId: 'c0', ts: now }), 200, 'OK', { ts: now + 10 }));
    // c4 is still watched: its 200 is counted.
    observe(makeResponse(makeStored({ callId: 'c4', ts: now + 4 }), 200, 'OK', { ts: now + 10 }));
    expect(metric(await metrics.registry.metrics(), 'hepflow_calls_total{disposition="answered",status_class="2xx"}')).toBe(1);
  });

  it('moves an answered call on past Timer B and ends it when its BYE goes unanswered as long', async () => {
    const metrics = new Metrics();
    const live = new LiveCalls(metrics.kpiSink, 100);
    const observe = folding(live);
    const talk = makeStored({ callId: 'talk' });
    observe(talk);
    observe(makeResponse(talk, 200, 'OK', { ts: T0 + 1_000 }));
    live.expire(T0 + 40_000_000);
    expect(live.size).toBe(1);
    observe(makeStored({ callId: 'talk', ts: T0 + 50_000_000, method: 'BYE', cseqNum: 2, cseqMethod: 'BYE', toTag: 'tt1', viaBranch: 'z9hG4bK-b' }));
    live.expire(T0 + 80_000_000); // the BYE is 30 s old: not yet
    expect(live.size).toBe(1);
    live.expire(T0 + 120_000_000);
    expect(live.size).toBe(0);
    const t = await metrics.registry.metrics();
    expect(metric(t, 'hepflow_call_problems_total{code="bye-without-200"}')).toBe(1);
    expect(metric(t, 'hepflow_calls_total{disposition="answered",status_class="2xx"}')).toBe(1);
  });
});

describe('CallKpis', () => {
  it('reports a batch rolled back and written again once, from the row it goes on from', () => {
    const calls: string[] = [];
    const kpis = new CallKpis();
    kpis.follow({ call: (d, c) => { calls.push(`${d} ${c}`); }, problem: () => {}, evicted: () => {} });
    const inv = makeStored({ callId: 'r1' });
    const row = newCall(inv);
    const fold = (c: CallSummary) => {
      const st = kpis.open(c)!;
      updateCall(c, inv, st);
      updateCall(c, makeResponse(inv, 486, 'Busy Here', { ts: T0 + 1_000 }), st);
      settleKpi(c, st);
      kpis.close(c, st);
    };
    fold({ ...row });
    kpis.abandoned(); // the transaction failed: the row was not written
    expect(calls).toEqual([]);
    fold({ ...row });
    kpis.committed();
    kpis.committed();
    expect(calls).toEqual(['busy 4xx']);
  });
});

describe('/metrics of a collector gone quiet', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(async () => { await s.stop(); });

  it('times out a call when scraped, by the wall clock', async () => {
    const ts = Date.now() * 1000 - 40_000_000;
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port: s.hepUdp!.port }, [encodeHep3({
      ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
      tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 2001,
      payload: 'INVITE sip:bob@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-q\r\nFrom: <sip:a@10.0.0.1>;tag=1\r\n' +
        'To: <sip:bob@10.0.0.2>\r\nCall-ID: quiet-1@10.0.0.1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
    })], { rate: 0 });
    await waitFor(async () => ((await s.get<any>('/api/v1/groups/quiet-1@10.0.0.1')).status === 200 ? true : undefined), 'the INVITE stored');
    const t = (await s.get<string>('/metrics')).body;
    expect(metric(t, 'hepflow_calls_total{disposition="failed",status_class="none"}')).toBe(1);
    expect(metric(t, 'hepflow_call_problems_total{code="no-final-response"}')).toBe(1);
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
