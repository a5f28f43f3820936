/**
 * A real peer for RTCP: rtpengine (Debian's rtpengine-daemon, userspace forwarding) relays a call
 * set up over its ng protocol, forwards the caller's RTCP and reports it to hepflow as HEP type 5
 * JSON tagged with the Call-ID (--homer). The report must land on the call with its figures.
 * 127.0.0.1 only, ports chosen at run time.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRtcp } from '../hep/rtcp.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import type { ApiGroup } from '../api/types.ts';

const have = spawnSync('sh', ['-c', 'command -v rtpengine'], { stdio: 'ignore' }).status === 0;
if (!have && process.env.CI === 'true') throw new Error('rtpengine missing: apt-get install -y rtpengine-daemon');
if (!have) console.log('skipped: no rtpengine (apt-get install -y rtpengine-daemon)');

type Bencoded = string | number | Bencoded[] | { [k: string]: Bencoded };

/** Bencode (BitTorrent BEP 3), the ng protocol's encoding. */
function bencode(v: Bencoded): string {
  if (typeof v === 'number') return `i${v}e`;
  if (typeof v === 'string') return `${Buffer.byteLength(v)}:${v}`;
  if (Array.isArray(v)) return `l${v.map(bencode).join('')}e`;
  return `d${Object.keys(v).sort().map((k) => bencode(k) + bencode(v[k])).join('')}e`;
}

function bdecode(s: string): Bencoded {
  let i = 0;
  const next = (): Bencoded => {
    const c = s[i];
    if (c === 'i') { const e = s.indexOf('e', i); const n = Number(s.slice(i + 1, e)); i = e + 1; return n; }
    if (c === 'l') { i++; const out: Bencoded[] = []; while (s[i] !== 'e') out.push(next()); i++; return out; }
    if (c === 'd') { i++; const out: Record<string, Bencoded> = {}; while (s[i] !== 'e') { const k = next() as string; out[k] = next(); } i++; return out; }
    const colon = s.indexOf(':', i);
    const len = Number(s.slice(i, colon));
    const str = Buffer.from(s.slice(colon + 1), 'latin1').subarray(0, len).toString('latin1');
    i = colon + 1 + len;
    return str;
  };
  return next();
}

async function bindPair(): Promise<[dgram.Socket, dgram.Socket]> {
  // An even RTP port and the RTCP port after it (RFC 3550 §11).
  for (;;) {
    const rtp = dgram.createSocket('udp4');
    await new Promise<void>((r) => rtp.bind(0, '127.0.0.1', () => r()));
    const port = rtp.address().port;
    if (port % 2 === 0 && port < 65535) {
      const rtcp = dgram.createSocket('udp4');
      const ok = await new Promise<boolean>((r) => { rtcp.once('error', () => r(false)); rtcp.bind(port + 1, '127.0.0.1', () => r(true)); });
      if (ok) return [rtp, rtcp];
      rtcp.close();
    }
    rtp.close();
  }
}

const sdp = (port: number) => `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;

describe.skipIf(!have)('rtpengine --homer as a real RTCP peer', () => {
  let s: TestServer;
  let dir: string;
  let rtpengine: ChildProcess;
  let log = '';
  const sockets: dgram.Socket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hepflow-rtpengine-'));
  });
  afterAll(async () => {
    for (const x of sockets) x.close();
    if (rtpengine && rtpengine.exitCode === null) {
      rtpengine.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (rtpengine.exitCode === null) rtpengine.kill('SIGKILL');
    }
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files the RTCP rtpengine relays on the call, with SSRC, loss and jitter', async () => {
    const ng = dgram.createSocket('udp4');
    sockets.push(ng);
    await new Promise<void>((r) => ng.bind(0, '127.0.0.1', () => r()));
    const ngPort = ng.address().port;
    ng.close();
    sockets.pop();
    rtpengine = spawn('rtpengine', ['--config-file=none', '--table=-1', '--foreground', '--log-stderr', '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`, `--homer=127.0.0.1:${s.hepUdp!.port}`, '--homer-protocol=udp', '--homer-id=2201',
      `--pidfile=${join(dir, 'rtpengine.pid')}`, '--log-level=6'], { stdio: ['ignore', 'pipe', 'pipe'] });
    rtpengine.stdout!.on('data', (d) => { log += d; });
    rtpengine.stderr!.on('data', (d) => { log += d; });

    const client = dgram.createSocket('udp4');
    sockets.push(client);
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    let cookie = 0;
    const command = async (msg: Record<string, Bencoded>): Promise<Record<string, Bencoded>> => {
      const id = `c${++cookie}`;
      const answer = new Promise<Record<string, Bencoded>>((resolve) => {
        const on = (buf: Buffer) => {
          const text = buf.toString('latin1');
          if (!text.startsWith(`${id} `)) return;
          client.off('message', on);
          resolve(bdecode(text.slice(id.length + 1)) as Record<string, Bencoded>);
        };
        client.on('message', on);
      });
      client.send(`${id} ${bencode(msg)}`, ngPort, '127.0.0.1');
      return answer;
    };
    // rtpengine takes a moment to listen: ping until it answers.
    await waitFor(async () => {
      const r = await Promise.race([command({ command: 'ping' }), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
      return r !== null && r.result === 'pong';
    }, `rtpengine to answer ping:\n${log}`);

    const [callerRtp, callerRtcp] = await bindPair();
    const [calleeRtp, calleeRtcp] = await bindPair();
    sockets.push(callerRtp, callerRtcp, calleeRtp, calleeRtcp);
    const callId = 'rtpengine-call-1@127.0.0.1';
    const offer = await command({ command: 'offer', 'call-id': callId, 'from-tag': 'caller-tag', sdp: sdp(callerRtp.address().port) });
    const answer = await command({ command: 'answer', 'call-id': callId, 'from-tag': 'caller-tag', 'to-tag': 'callee-tag', sdp: sdp(calleeRtp.address().port) });
    expect([offer.result, answer.result], log).toEqual(['ok', 'ok']);
    // The answer's SDP (rewritten) is what the caller sends to.
    const toRtpengine = Number(/m=audio (\d+)/.exec(answer.sdp as string)![1]);
    const toRtpengineFromCallee = Number(/m=audio (\d+)/.exec(offer.sdp as string)![1]);

    // Media both ways (rtpengine learns each side's address), then the callee's receiver report on the caller's stream.
    const rtp = (seq: number, ssrc: number) => {
      const b = Buffer.alloc(12 + 160, 0xff);
      b[0] = 0x80; b[1] = 0; b.writeUInt16BE(seq, 2); b.writeUInt32BE(seq * 160, 4); b.writeUInt32BE(ssrc, 8);
      return b;
    };
    const CALLER_SSRC = 0x11223344;
    const CALLEE_SSRC = 0x55667788;
    for (let i = 0; i < 10; i++) {
      callerRtp.send(rtp(i, CALLER_SSRC), toRtpengine, '127.0.0.1');
      calleeRtp.send(rtp(i, CALLEE_SSRC), toRtpengineFromCallee, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
    const rr = encodeRtcp([
      { type: 'rr', ssrc: CALLEE_SSRC, reports: [{ ssrc: CALLER_SSRC, fractionLost: 64, packetsLost: 3, highestSeq: 9, jitter: 80, lsr: 0, dlsr: 0 }] },
      { type: 'sdes', chunks: [{ ssrc: CALLEE_SSRC, items: [{ type: 1, text: 'callee@127.0.0.1' }] }] },
    ]);
    const g = await waitFor(async () => {
      calleeRtcp.send(rr, toRtpengineFromCallee + 1, '127.0.0.1');
      const r = await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(callId)}`, true);
      return r.status === 200 && r.body.messages.some((m) => m.kind === 'rtcp') ? r.body : undefined;
    }, `rtpengine's RTCP report stored:\n${log.slice(-2000)}`, 15_000);
    const report = g.messages.find((m) => m.kind === 'rtcp')!;
    expect(report.captureIds).toEqual(['2201']);
    expect(report.stats).toMatchObject({ ssrc: CALLER_SSRC, fractionLost: 0.25, packetsLost: 3, jitterMs: 10 });
  });
});
