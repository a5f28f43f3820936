/**
 * A real peer: Kamailio 5.6 (Debian's package) proxies a SIPp call and mirrors every SIP message
 * to hepflow as HEPv3 with siptrace's trace_mode=1, exactly as the README tells users to set it up.
 * Everything runs on 127.0.0.1 with ports chosen at run time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { callPorts, missingPeers, Peers } from '../testing/kamailio.ts';
import type { ApiCallPage, ApiGroup } from '../api/types.ts';

const missing = missingPeers();
const ROUTE = `  if (has_totag() && loose_route()) { t_relay(); exit; }
  if (!has_totag() && is_method("INVITE|SUBSCRIBE|REFER")) record_route();`;

describe.skipIf(missing.length > 0)('Kamailio siptrace as a real HEP peer', () => {
  let s: TestServer;
  let dir: string;
  let peers: Peers;
  beforeAll(async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hepflow-kamailio-'));
    peers = new Peers(dir);
  });
  afterAll(async () => {
    peers.stopAll();
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the 13 distinct messages of a call proxied by Kamailio, as one call with capture id 2001', async () => {
    const ports = await callPorts(s.hepUdp!.port);
    await peers.kamailio(ports, ROUTE);
    await peers.call(ports);

    // The call is whole once the 200 OK to BYE crossed both hops. On a loaded machine SIPp or
    // Kamailio may retransmit; a retransmission is a real packet on the wire and is kept, so the
    // count is at least the 13 distinct messages rather than exactly 13.
    const page = await waitFor(async () => {
      // Thrown, not answered undefined: a timeout then says how far the call got.
      const p = (await s.get<ApiCallPage>(`/api/v1/calls?ip=127.0.0.1`)).body;
      if (p.items.length !== 1) throw new Error(`${p.items.length} groups: ${p.items.map((i) => `${i.groupId} (${i.messages})`).join(', ')}`);
      const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(p.items[0].groupId)}`)).body;
      const byeOk = g.messages.filter((m) => m.cseqMethod === 'BYE' && m.status === 200).length;
      if (byeOk >= 2 && p.items[0].messages >= 13) return p;
      throw new Error(`${p.items[0].messages} messages, ${byeOk} 200 OK to BYE: ${g.messages.map((m) => m.label).join(', ')}`);
    }, 'the call stored', 20_000);
    const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(page.items[0].groupId)}`)).body;
    const distinct = new Set(g.messages.map((m) => `${m.src}>${m.dst} ${m.label} ${m.cseq}`));
    expect(distinct.size).toBe(13);
    expect(g.legs).toHaveLength(1);
    // trace_mode=1 sends no correlation id (chunk 0x0011): the Call-ID alone groups the call.
    expect(g.messages.every((m) => m.captureIds.join() === '2001' && m.hepCorrelationId === null && m.transport === 'udp')).toBe(true);
    expect(g.messages.map((m) => m.label)).toEqual(expect.arrayContaining(['INVITE', '180 Ringing', '200 OK', 'ACK', 'BYE']));
    expect(new Set(g.endpoints.map((e) => e.port))).toEqual(new Set([ports.uac, ports.proxy, ports.uas]));
    expect(g.messages.filter((m) => m.method === 'INVITE').map((m) => [m.src, m.dst])).toEqual([
      [`127.0.0.1:${ports.uac}`, `127.0.0.1:${ports.proxy}`],
      [`127.0.0.1:${ports.proxy}`, `127.0.0.1:${ports.uas}`],
    ]);
  });
});
