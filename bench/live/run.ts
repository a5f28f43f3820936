/**
 * Live push benchmark: a hepflow server in its own process ingests basic calls over UDP at
 * `--rate` messages/s (bench/traffic.ts, sent by bench/stall/udp-sender.ts) while `--clients` live streams are open: most watch a
 * group of their own (an open flow), the rest the search list. Probe messages of the watched
 * calls are sent among the load, one every 100 ms; for each, the time from the packet sent to the
 * stream's `change` event (push latency), and to the refetched group holding it (as the app does).
 * Then the same load without any stream: the CPU difference is what the live views cost.
 * One stalled client (connects, never reads) shows that such a client is bounded, then dropped.
 *
 * Ingest alone costs 60-80 % of a core and varies by ±10 % from run to run, more than the live
 * views cost: so the two runs alternate for `--rounds` rounds and the median of the differences is the cost.
 *
 *   npm run bench -- live [--seconds 20] [--rate 10000] [--clients 50] [--search-clients 10] [--refetch on|off] [--share on|off] [--rounds 3]
 */
import dgram from 'node:dgram';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuSeconds, metricValue, percentile, spawnServer, threadCpuSeconds, type ServerProcess } from '../lib.ts';
import { encodeHep3 } from '../../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../../server/hep/chunks.ts';
import { openSse, type SseClient } from '../../server/live/sse-client.ts';
import { LIVE_EVENT_HEADER } from '../../server/api/schemas.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '50' },
    'search-clients': { type: 'string', default: '10' },
    /** Off: the clients only read their streams (the push's own cost, without the app's refetches). */
    refetch: { type: 'string', default: 'on' },
    rounds: { type: 'string', default: '3' },
    /** Off: the search lists refetch without saying which live event they follow, so each reads its own page. */
    share: { type: 'string', default: 'on' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const clients = Number(values.clients);
const searchClients = Math.min(clients, Number(values['search-clients']));
const flowClients = clients - searchClients;
const refetch = values.refetch !== 'off';
const share = values.share !== 'off';
/** One probe every this many ms, round-robin over the watched calls (each call has at most one in flight). */
const PROBE_EVERY_MS = 100;

const probeCallId = (j: number) => `probe-${j}@bench.example`;

function probePacket(j: number, seq: number): Buffer {
  const callId = probeCallId(j);
  const text = [`OPTIONS sip:probe@10.2.0.20 SIP/2.0`, `Via: SIP/2.0/UDP 10.1.0.10:5060;branch=z9hG4bKp${j}x${seq}`,
    `From: <sip:probe@bench.example>;tag=p${j}`, '<sip:probe@10.2.0.20>'.replace(/^/, 'To: '), `Call-ID: ${callId}`,
    `CSeq: ${seq} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n');
  const ts = Date.now() * 1000;
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 5060, dstPort: 5060,
    tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 101, payload: text,
  });
}

interface Run {
  cpuPct: number;
  /** % of one core by thread name (worker threads of one name summed). */
  threads: Map<string, number>;
  stored: number;
  sent: number;
  push: number[];
  fetched: number[];
  probes: number;
  dropped: number;
  /** Search pages the lists asked for that were shared, and read. */
  pages: { shared: number; read: number };
}

async function run(withClients: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-live-'));
  const server: ServerProcess = await spawnServer(['--store', join(dir, 'bench.db'), '--no-tcp', '--web-dir', join(dir, 'none')]);
  const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((r) => sock.connect(server.hepPort, '127.0.0.1', () => r()));
  try {
    // The probe calls exist before their streams open, as a flow that someone opened does.
    for (let j = 0; j < flowClients; j++) sock.send(probePacket(j, 1));
    await new Promise((r) => setTimeout(r, 500));
    const streams: SseClient[] = [];
    const push: number[] = [];
    const fetched: number[] = [];
    /** performance.now() when call j's probe was sent, 0 when none waits. */
    const waiting = new Array<number>(flowClients).fill(0);
    const fetches: Promise<unknown>[] = [];
    let stalled: ReturnType<typeof connect> | null = null;
    if (withClients) {
      for (let j = 0; j < flowClients; j++) {
        const s = await openSse(`${server.http}/api/v1/live?group=${encodeURIComponent(probeCallId(j))}`);
        s.onEvent = (e) => {
          if (e.event !== 'change' || waiting[j] === 0) return;
          const sentAt = waiting[j];
          waiting[j] = 0;
          push.push(e.at - sentAt);
          // What the app does next: fetch the group again.
          if (refetch) fetches.push(fetch(`${server.http}/api/v1/groups/${encodeURIComponent(probeCallId(j))}`).then((r) => r.text()).then(() => fetched.push(performance.now() - sentAt)));
        };
        streams.push(s);
      }
      for (let j = 0; j < searchClients; j++) {
        const s = await openSse(`${server.http}/api/v1/live?calls=1`);
        s.onEvent = (e) => {
          // As the app does: the last 15 minutes from a whole second, and the event it follows.
          const from = (Math.floor(Date.now() / 1000) * 1000 - 900_000) * 1000;
          const headers: Record<string, string> = share ? { [LIVE_EVENT_HEADER]: e.id } : {};
          if (e.event === 'change' && refetch) fetches.push(fetch(`${server.http}/api/v1/calls?from=${from}&limit=500`, { headers }).then((r) => r.text()));
        };
        streams.push(s);
      }
      // A client that connects and never reads.
      const port = Number(new URL(server.http).port);
      stalled = connect({ host: '127.0.0.1', port }, () => stalled!.write(`GET /api/v1/live?calls=1 HTTP/1.1\r\nHost: x\r\n\r\n`));
      stalled.pause();
      await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready' || e.event === 'change')));
    }

    const pid = server.child.pid!;
    const cpu0 = cpuSeconds(pid);
    const threads0 = threadCpuSeconds(pid);
    const t0 = performance.now();
    // The load comes from a process of its own (bench/stall's sender), so that this one's event
    // loop reads the streams on time.
    const load = spawn(process.execPath, ['--import', 'tsx', 'bench/stall/udp-sender.ts', String(server.hepPort), String(rate), String(seconds), '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let loadOut = '';
    load.stdout!.on('data', (d: Buffer) => { loadOut += d.toString(); });
    const loadDone = new Promise<void>((r) => load.once('exit', () => r()));
    let running = true;
    void loadDone.then(() => { running = false; });
    let probes = 0;
    let seq = 2;
    while (running) {
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      if (!withClients || flowClients === 0) continue;
      const j = probes++ % flowClients;
      if (waiting[j] !== 0) continue;
      waiting[j] = performance.now();
      sock.send(probePacket(j, seq++));
    }
    const sent = (JSON.parse(loadOut.trim().split('\n').pop() || '{}') as { sent?: number }).sent ?? 0;
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(pid) - cpu0;
    const threads = new Map([...threadCpuSeconds(pid)].map(([name, t]) => [name, ((t - (threads0.get(name) ?? 0)) / elapsed) * 100]));
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.allSettled(fetches);
    const stored = await metricValue(server.http, 'hepflow_messages_stored_total');
    const text = await (await fetch(`${server.http}/metrics`)).text();
    const dropped = text.split('\n').filter((l) => l.startsWith('hepflow_live_clients_dropped_total{')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const pages = {
      shared: await metricValue(server.http, 'hepflow_live_search_pages_total{answer="shared"}'),
      read: await metricValue(server.http, 'hepflow_live_search_pages_total{answer="read"}'),
    };
    for (const s of streams) s.close();
    stalled?.destroy();
    return { cpuPct: (cpu / elapsed) * 100, threads, stored, sent, push, fetched, probes, dropped, pages };
  } finally {
    sock.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);
const costs: number[] = [];
const threadCosts = new Map<string, number[]>();
const push: number[] = [];
const fetched: number[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const without = await run(false);
  const withLive = await run(true);
  costs.push(withLive.cpuPct - without.cpuPct);
  for (const name of new Set([...withLive.threads.keys(), ...without.threads.keys()])) {
    threadCosts.set(name, [...(threadCosts.get(name) ?? []), (withLive.threads.get(name) ?? 0) - (without.threads.get(name) ?? 0)]);
  }
  push.push(...withLive.push);
  fetched.push(...withLive.fetched);
  console.log(`round ${round}: ${rate} msg/s for ${seconds}s; no live clients: sent ${without.sent}, stored ${without.stored}, server CPU ${without.cpuPct.toFixed(0)}% of one core; ` +
    `${clients} live clients (${flowClients} flows, ${searchClients} search lists, + 1 stalled): sent ${withLive.sent}, stored ${withLive.stored}, ` +
    `server CPU ${withLive.cpuPct.toFixed(0)}%, live streams dropped ${withLive.dropped}, search pages shared ${withLive.pages.shared} of ${withLive.pages.shared + withLive.pages.read}${share ? '' : ' (--share off)'}`);
}
console.log(`push latency, packet sent → change event (${push.length} probes): p50 ${ms(p(push, 50))}, p95 ${ms(p(push, 95))}, max ${ms(p(push, 100))}`);
console.log(`to the group refetched (what the app then draws): p50 ${ms(p(fetched, 50))}, p95 ${ms(p(fetched, 95))}`);
console.log(`cost of the live clients${refetch ? ', refetches included' : ' (streams only, no refetch)'}, % of one core: median ${p(costs, 50).toFixed(1)} ` +
  `(rounds: ${costs.map((c) => c.toFixed(1)).join(', ')})`);
console.log(`  by thread, median: ${[...threadCosts].filter(([, c]) => Math.abs(p(c, 50)) >= 0.5).map(([name, c]) => `${name} ${p(c, 50).toFixed(1)}`).join(', ')}`);
