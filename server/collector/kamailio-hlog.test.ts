/**
 * A real peer for logs: Kamailio 5.6 (Debian's package) proxies a SIPp call and its script calls
 * siptrace's hlog(), which sends each line as HEP type 100 with the Call-ID (or the id given) as
 * correlation; the lines must land on the call, beside its SIP. 127.0.0.1 only, ports chosen at run time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { callPorts, missingPeers, Peers } from '../testing/kamailio.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const missing = missingPeers();
const ROUTE = `  if (is_method("BYE")) hlog("$ci", "BYE from $fU: call ends");
  if (has_totag() && loose_route()) { t_relay(); exit; }
  if (!has_totag() && is_method("INVITE")) {
    record_route();
    hlog("new call from $fU to $rU");
  }`;

describe.skipIf(missing.length > 0)('Kamailio hlog() as a real HEP log peer', () => {
  let s: TestServer;
  let dir: string;
  let peers: Peers;
  beforeAll(async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hepflow-hlog-'));
    peers = new Peers(dir);
  });
  afterAll(async () => {
    peers.stopAll();
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files the script log lines on the call they were logged for, in time order among its SIP', async () => {
    const ports = await callPorts(s.hepUdp!.port);
    await peers.kamailio(ports, ROUTE);
    await peers.call(ports);

    const g = await waitFor(async () => {
      const p = (await s.get<ApiCallPage>(`/api/v1/calls?ip=127.0.0.1`)).body;
      if (p.items.length !== 1) return undefined;
      const grp = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(p.items[0].groupId)}`)).body;
      const byeOk = grp.messages.filter((m) => m.cseqMethod === 'BYE' && m.status === 200).length;
      return byeOk >= 2 && grp.messages.filter((m) => m.kind === 'log').length >= 2 ? grp : undefined;
    }, 'the call and its log lines stored', 20_000);

    expect(g.legs).toHaveLength(1);
    const logs = g.messages.filter((m) => m.kind === 'log');
    // hlog() sends from the proxy's socket to the collector: a note on the proxy's lifeline, no collector column.
    expect(logs.every((m) => m.src === `127.0.0.1:${ports.proxy}` && m.dst === m.src)).toBe(true);
    expect(g.endpoints.map((e) => e.port).sort()).toEqual([ports.uac, ports.proxy, ports.uas].sort());
    // SIPp's default scenario: From user "sipp", Request-URI user "service". A retransmitted
    // INVITE or BYE runs the script again, so a line may come twice.
    expect([...new Set(logs.map((m) => m.text))]).toEqual(['new call from sipp to service', 'BYE from sipp: call ends']);
    expect(logs.every((m) => m.callId === g.legs[0].callId && m.leg === 0 && m.protoType === 100 && m.captureIds.join() === '2001')).toBe(true);
    // Each line sits after the request that triggered it and before that request is relayed.
    const order = g.messages.map((m) => (m.kind === 'log' ? `log:${m.text}` : `${m.label}:${m.src}>${m.dst}`));
    const at = (x: string) => order.indexOf(x);
    expect(at(`INVITE:127.0.0.1:${ports.uac}>127.0.0.1:${ports.proxy}`)).toBeLessThan(at('log:new call from sipp to service'));
    expect(at('log:new call from sipp to service')).toBeLessThan(at(`INVITE:127.0.0.1:${ports.proxy}>127.0.0.1:${ports.uas}`));
    const text = (await s.get<string>('/metrics')).body;
    expect(metric(text, 'hepflow_packets_rejected_total{reason="no-correlation-id"}')).toBe(0);
  });
});
