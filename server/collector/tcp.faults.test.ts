/**
 * HEP TCP senders that misbehave, against a real server on 127.0.0.1: connections that trickle
 * bytes and never complete a frame, too many connections from one address, and a frame whose
 * length field is false. Counts are read from /metrics over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { metric, startTestServer, waitFor, type TestServer } from '../testing/harness.ts';

const T = 1_700_000_000; // seconds

function frame(callId: string): Buffer {
  const sip = [`OPTIONS sip:probe@10.0.0.2 SIP/2.0`, `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`,
    `From: <sip:mon@10.0.0.1>;tag=1`, `To: <sip:probe@10.0.0.2>`, `Call-ID: ${callId}`, `CSeq: 1 OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n');
  return encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    tsSec: T, tsUsec: 0, protoType: PROTO_TYPE.sip, captureId: 9, payload: sip });
}

function connect(port: number, localAddress = '127.0.0.1'): Promise<net.Socket & { closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s as net.Socket & { closedByServer: boolean }));
    (s as any).closedByServer = false;
    s.on('close', () => { (s as any).closedByServer = true; });
    s.on('error', () => {});
    s.once('connect', () => s.off('error', reject));
    s.once('error', reject);
  });
}

describe('HEP TCP senders cannot starve each other', () => {
  let s: TestServer;
  const sockets: net.Socket[] = [];
  const metrics = async () => (await s.get<string>('/metrics')).body;
  const count = async (series: string) => metric(await metrics(), series);
  const stored = async (callId: string) => (await s.get(`/api/v1/groups/${encodeURIComponent(callId)}`, true)).status === 200;

  afterEach(async () => {
    for (const x of sockets.splice(0)) x.destroy();
    await s?.stop();
  });

  it('evicts connections that trickle bytes for one that delivers frames, and closes the rest when idle', async () => {
    s = await startTestServer({ maxTcpConnections: 8, tcpIdleMs: 1500 });
    const port = s.hepTcp!.port;
    const partial = frame('never-complete');
    const slow = await Promise.all(Array.from({ length: 8 }, () => connect(port)));
    sockets.push(...slow);
    const openedAt = Date.now();
    // One byte every 100 ms: each byte would have reset a socket idle timeout; no frame ever completes.
    let at = 0;
    const trickle = setInterval(() => { at++; for (const x of slow) if (!x.closedByServer) x.write(partial.subarray(at, at + 1)); }, 100);
    for (const x of slow) x.write(partial.subarray(0, 1));
    await waitFor(async () => (await count('hepflow_tcp_connections')) === 8, 'all 8 slots taken');
    // The slow ones become evictable once they have gone 1 s (EVICT_AFTER_MS) without a frame.
    await waitFor(() => Date.now() - openedAt >= 1000, 'the slow connections evictable');

    const real = await connect(port);
    sockets.push(real);
    let n = 0;
    const sending = setInterval(() => real.write(frame(`real-${n++}`)), 100);
    try {
      await waitFor(async () => (await count('hepflow_tcp_connections_closed_total{reason="evicted"}')) === 1, 'one slow connection evicted');
      await waitFor(() => slow.every((x) => x.closedByServer), 'every slow connection closed', 5000);
      const text = await metrics();
      const idle = metric(text, 'hepflow_tcp_connections_closed_total{reason="idle"}');
      console.log(`8 trickling senders + 1 real: evicted ${metric(text, 'hepflow_tcp_connections_closed_total{reason="evicted"}')}, closed idle ${idle}, `
        + `refused ${metric(text, 'hepflow_tcp_connections_refused_total{reason="full"}')}, bytes left at close ${metric(text, 'hepflow_tcp_bytes_discarded_total{reason="left-at-close"}')}, real frames sent ${n}`);
      expect(idle).toBe(7);
      expect(real.closedByServer).toBe(false);
      expect(metric(text, 'hepflow_tcp_bytes_discarded_total{reason="left-at-close"}')).toBeGreaterThan(0);
      const sent = n;
      await waitFor(async () => (await stored(`real-0`)) && (await stored(`real-${sent - 1}`)), 'the real sender\'s messages stored');
    } finally {
      clearInterval(trickle);
      clearInterval(sending);
    }
  });

  it('refuses connections past the per-address limit and counts them, while another address still connects', async () => {
    s = await startTestServer({ maxTcpConnectionsPerAddress: 2 });
    const port = s.hepTcp!.port;
    sockets.push(await connect(port), await connect(port));
    await waitFor(async () => (await count('hepflow_tcp_connections')) === 2, 'two connections from 127.0.0.1');
    const third = await connect(port);
    sockets.push(third);
    await waitFor(() => third.closedByServer, 'the third from 127.0.0.1 closed');
    expect(await count('hepflow_tcp_connections_refused_total{reason="per-address"}')).toBe(1);

    const other = await connect(port, '127.0.0.2');
    sockets.push(other);
    other.write(frame('from-127.0.0.2'));
    await waitFor(() => stored('from-127.0.0.2'), 'the message from 127.0.0.2 stored');
    expect(other.closedByServer).toBe(false);
    expect(await count('hepflow_tcp_connections_refused_total{reason="per-address"}')).toBe(1);
  });

  it('stores the frames after one with a false length, counting the fault and the bytes skipped', async () => {
    s = await startTestServer();
    const sock = await connect(s.hepTcp!.port);
    sockets.push(sock);
    const bad = Buffer.from(frame('false-length'));
    bad.writeUInt16BE(bad.length + 500, 4); // claims 500 bytes more: the next frames would be swallowed
    const after = ['after-1', 'after-2', 'after-3'];
    sock.write(Buffer.concat([frame('before'), bad, ...after.map(frame)]));
    await waitFor(async () => (await Promise.all(['before', ...after].map(stored))).every(Boolean), 'the frames around the false one stored');
    const text = await metrics();
    expect(metric(text, 'hepflow_packets_rejected_total{reason="length-mismatch"}')).toBe(1);
    expect(metric(text, 'hepflow_tcp_bytes_discarded_total{reason="resync"}')).toBe(bad.length);
    expect(await stored('false-length')).toBe(false);
    console.log(`false length: 5 frames sent (1 claiming ${bad.length + 500} of its ${bad.length} bytes), 4 stored, length-mismatch 1, resync bytes ${bad.length}`);

    // A partial frame left when the sender closes is counted too.
    sock.end(frame('cut').subarray(0, 40));
    await waitFor(async () => (await count('hepflow_tcp_bytes_discarded_total{reason="left-at-close"}')) === 40, '40 bytes left at close');
  });
});
