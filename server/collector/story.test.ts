/**
 * The whole story through the real collector: HEP over real UDP on 127.0.0.1, a real SQLite file,
 * the group API over HTTP. The scenario sends SIP, OpenSIPS xlog/REST/TLS traces and RTCP
 * (JSON and binary); the OpenSIPS byte tables are sent too, and bad input is counted by reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGroup } from '../api/types.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { sendPackets } from '../replay/sender.ts';
import { wholeStory } from '../scenarios/story.ts';
import { oneWayAudio } from '../scenarios/one-way.ts';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { OPENSIPS_REST_REPLY, OPENSIPS_REST_REQUEST, OPENSIPS_XLOG, STORY_CALL_ID } from '../testing/story-fixtures.ts';

const BASE = Date.UTC(2025, 2, 14, 9, 30) * 1000;

describe('the whole story of a call', () => {
  let s: TestServer;
  const run = wholeStory.build(BASE);
  const callA = run.expected.groups[0].callIds[0];
  const group = async (id: string) => (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(id)}`)).body;

  beforeAll(async () => {
    s = await startTestServer({ aliases: run.aliases });
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port };
    await sendPackets(target, run.packets.map(encodeHep3), { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= run.expected.messageCount, 'scenario stored');
  });
  afterAll(() => s?.stop());

  it('answers every item in time order with its kind', async () => {
    const g = await group(callA);
    expect(g.callIds.sort()).toEqual([...run.expected.groups[0].callIds].sort());
    expect(g.messages).toHaveLength(run.expected.messageCount);
    const count = (k: string) => g.messages.filter((m) => m.kind === k).length;
    expect({ sip: count('sip'), log: count('log'), rest: count('rest'), transport: count('transport'), rtcp: count('rtcp') })
      .toEqual({ sip: 13, log: 3, rest: 2, transport: 2, rtcp: 24 });
    const ts = g.messages.map((m) => m.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });

  it('shows log lines with their level on the A-leg, and the REST reply with its status line and latency', async () => {
    const g = await group(callA);
    const logs = g.messages.filter((m) => m.kind === 'log');
    expect(logs.map((m) => [m.level, m.text, m.leg])).toEqual([
      ['info', 'new call from alice to bob over TLS\n', 0],
      ['notice', 'lookup: bob is at 10.0.2.20\n', 0],
      ['warning', 'B-leg RTCP: 8% loss from carrier side\n', 0],
    ]);
    const [req, rpl] = g.messages.filter((m) => m.kind === 'rest');
    expect([req.text, req.src, req.dst, req.latencyMs]).toEqual(['GET /lookup?user=bob HTTP/1.1', '10.0.0.5:5060', '10.0.3.30:8080', null]);
    expect([rpl.text, rpl.latencyMs]).toEqual(['HTTP/1.1 200 OK', 0.04]);
  });

  it('files the TLS connection events, which name only the connection, with the call on that connection', async () => {
    const g = await group(callA);
    const tls = g.messages.filter((m) => m.kind === 'transport');
    expect(tls.map((m) => [m.text, m.callId, m.transport, m.leg])).toEqual([
      ['TLS ACCEPTED SUCCESS: Connection accepted...', callA, 'tls', 0],
      ['TLS CLOSED SUCCESS: Connection closed by peer', callA, 'tls', 0],
    ]);
  });

  it('gives RTCP reports their figures and each leg a media summary, loss on the B-leg only', async () => {
    const g = await group(callA);
    const bReports = g.messages.filter((m) => m.kind === 'rtcp' && m.leg === 1 && m.stats?.fractionLost);
    expect(bReports).toHaveLength(6);
    expect(bReports[0].stats).toMatchObject({ fractionLost: 0.0781, packetsLost: 20, jitterMs: 20 });
    expect(bReports[5].stats).toMatchObject({ packetsLost: 120, jitterMs: 70 });
    const toBob = g.media.find((m) => m.leg === 1 && m.direction === 'caller-to-callee')!;
    expect(toBob).toMatchObject({ codec: 'PCMU', reports: 6, packetsLost: 120, jitterMaxMs: 70, jitterMeanMs: 45, flags: [] });
    const aLeg = g.media.filter((m) => m.leg === 0);
    expect(aLeg.map((m) => [m.direction, m.reports, m.packetsLost])).toEqual([['caller-to-callee', 6, 0], ['callee-to-caller', 6, 0]]);
    expect(Math.min(...aLeg.map((m) => m.mos!))).toBeGreaterThan(toBob.mos! + 0.5);
  });

  it('files OpenSIPS xlog and REST traces (byte tables) under the Call-ID their extra correlation names, before the call arrives', async () => {
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port };
    await sendPackets(target, [OPENSIPS_XLOG, OPENSIPS_REST_REQUEST, OPENSIPS_REST_REPLY], { rate: 0 });
    const g = await waitFor(async () => {
      const r = await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(STORY_CALL_ID)}`, true);
      return r.status === 200 && r.body.messages.length === 3 && r.body;
    }, 'xlog and REST stored');
    expect(g.messages.map((m) => [m.kind, m.text, m.level])).toEqual([
      ['log', 'no route to bob: 404\n', 'error'],
      ['rest', 'GET /lookup?user=bob HTTP/1.1', null],
      ['rest', 'HTTP/1.1 200 OK', null],
    ]);
  });

  it('counts malformed RTCP and JSON by reason and keeps taking SIP', async () => {
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port };
    const hep = (protoType: number, payload: string | Buffer, correlationId: string | null = 'x') => encodeHep3({
      ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.9.1', dstIp: '10.0.9.2', srcPort: 4001, dstPort: 4003,
      tsSec: BASE / 1e6 + 600, tsUsec: 0, protoType, correlationId, payload,
    });
    const sip = 'OPTIONS sip:x@10.0.9.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.9.1;branch=z9hG4bKk1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x@x>\r\n'
      + 'Call-ID: after-bad-input\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    await sendPackets(target, [
      hep(PROTO_TYPE.rtcp, Buffer.from([0x81, 0xc9, 0x00, 0x07, 1, 2])), hep(PROTO_TYPE.rtcp, '{"report_blocks":'),
      hep(PROTO_TYPE.rest, 'not json'), hep(PROTO_TYPE.log, 'orphan', null), hep(PROTO_TYPE.sip, sip),
    ], { rate: 0 });
    await waitFor(async () => (await s.get(`/api/v1/groups/after-bad-input`, true)).status === 200, 'SIP after bad input');
    const text = (await s.get<string>('/metrics')).body;
    const rejected = (reason: string) => metric(text, `hepflow_packets_rejected_total{reason="${reason}"}`);
    expect([rejected('rtcp-length-overrun'), rejected('rtcp-bad-json'), rejected('rest-bad-json'), rejected('no-correlation-id')]).toEqual([1, 1, 1, 1]);
    // Both TLS events of the scenario found their call.
    expect(metric(text, 'hepflow_items_unfiled_total{reason="transport-no-call"}')).toBe(0);
  });

  it('never holds an item back for its call: one whose call never comes is stored under its own id, a transport event no call is near counted as unfiled', async () => {
    // Nothing waits for a call (ingest.ts other()): the store groups by Call-ID whatever comes
    // first, so nothing waits past a bound or is evicted. Only a transport event, which names its
    // connection and no call, can fail to find one: it stays under its connection id, counted.
    const target = { transport: 'udp' as const, host: '127.0.0.1', port: s.hepUdp!.port };
    const at = { tsSec: BASE / 1e6 + 900, tsUsec: 0 };
    const before = (await s.get<string>('/metrics')).body;
    await sendPackets(target, [
      encodeHep3({
        ipProtocol: IP_PROTOCOL.idp, srcIp: '10.0.8.1', srcPort: 40000, dstIp: '10.0.0.5', dstPort: 5061, ...at, protoType: PROTO_TYPE.net,
        correlationId: '4242', payload: '{"Protocol":"TLS","Event":"ACCEPTED","Status":"SUCCESS","Message":"Connection accepted..."}',
      }),
      encodeHep3({
        ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.8.2', srcPort: 30001, dstIp: '10.0.8.3', dstPort: 40001, ...at, protoType: PROTO_TYPE.rtcp,
        correlationId: 'call-never-sent', payload: '{"type":201,"ssrc":1,"report_count":1,"report_blocks":[{"source_ssrc":2,"fraction_lost":0,"packets_lost":0,"highest_seq_no":9,"ia_jitter":8,"lsr":0,"dlsr":0}]}',
      }),
    ], { rate: 0 });
    const rtcp = await waitFor(async () => {
      const r = await s.get<ApiGroup>('/api/v1/groups/call-never-sent', true);
      return r.status === 200 && r.body;
    }, 'RTCP without its call stored');
    expect(rtcp.messages.map((m) => [m.kind, m.callId, m.stats?.jitterMs])).toEqual([['rtcp', 'call-never-sent', 1]]);
    const event = (await group('4242')).messages;
    expect(event.map((m) => [m.kind, m.callId, m.text])).toEqual([['transport', '4242', 'TLS ACCEPTED SUCCESS: Connection accepted...']]);
    const after = (await s.get<string>('/metrics')).body;
    const delta = (series: string) => metric(after, series) - metric(before, series);
    expect(delta('hepflow_items_unfiled_total{reason="transport-no-call"}')).toBe(1);
    expect(delta('hepflow_messages_stored_total')).toBe(2);
    expect(after).not.toMatch(/^hepflow_messages_dropped_total\{/m);
  });
});

describe('one-way audio at a glance', () => {
  let s: TestServer;
  const run = oneWayAudio.build(BASE);
  const [callA, callB] = run.expected.groups[0].callIds;

  beforeAll(async () => {
    s = await startTestServer({ aliases: run.aliases });
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port: s.hepUdp!.port }, run.packets.map(encodeHep3), { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= run.expected.messageCount, 'scenario stored');
  });
  afterAll(() => s?.stop());

  it('flags each stream from its SDP and RTCP, each flag on the message that shows it', async () => {
    const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(callA)}`)).body;
    expect(g.messages).toHaveLength(run.expected.messageCount);
    const byId = new Map(g.messages.map((m) => [m.id, m]));
    // Each cause as "Call-ID leg: what the message is, from where".
    const on = (id: string | null) => {
      if (id === null) return null;
      const m = byId.get(id)!;
      return `${m.callId === callA ? 'A' : 'B'} ${m.kind === 'sip' ? m.label : m.kind} from ${m.srcIp}`;
    };
    expect(g.media.map((st) => [st.leg, st.direction, st.causes.map((c) => [c.flag, on(c.messageId)])])).toEqual([
      [0, 'caller-to-callee', [['private-sdp', 'A INVITE from 203.0.113.10']]],
      [0, 'callee-to-caller', [['no-packets', 'A rtcp from 192.168.1.20']]],
      [1, 'caller-to-callee', [['no-rtcp', null], ['recvonly', 'B 200 OK from 198.51.100.5'], ['sendonly', 'B INVITE from 198.51.100.20'], ['codec-mismatch', 'B 200 OK from 198.51.100.20']]],
      [1, 'callee-to-caller', [['codec-mismatch', 'B 200 OK from 198.51.100.20']]],
    ]);
    expect(g.media.every((st) => st.flags.join() === st.causes.map((c) => c.flag).join())).toBe(true);
    // The silent stream's cause is Alice's last SR: the RTCP row of leg A, the last from her LAN.
    const aliceReports = g.messages.filter((m) => m.kind === 'rtcp' && m.srcIp === '192.168.1.20');
    expect(g.media[1].causes[0].messageId).toBe(aliceReports[aliceReports.length - 1].id);
    expect(g.media[1]).toMatchObject({ reports: 6, jitterMeanMs: null });
    expect(g.callIds).toContain(callB);
  });
});
