/**
 * Live push benchmark: a hepflow server in its own process ingests basic calls over UDP at
 * `--rate` messages/s (bench/traffic.ts, sent by bench/stall/udp-sender.ts) while `--clients` live streams are open: most watch a
 * group of their own (an open flow), the rest the search list. Probe messages of the watched
 * calls are sent among the load, one every 100 ms; for each, the time from the packet sent to the
 * stream's `change` event (push latency), and to the refetched group holding it (as the app does).
 * Phases of `--seconds` with the streams and without them alternate on one server under one
 * load: the CPU difference of each pair is what the live views cost, and the median of `--rounds`
 * pairs is printed. (Ingest alone costs 60-80 % of a core and varied by ±10 % between two server
 * processes, more than the views cost, which made two runs side by side too coarse.)
 * One stalled client (connects, never reads) stays open throughout: it is dropped, not buffered.
 *
 *   npm run bench -- live [--seconds 10] [--rate 10000] [--clients 50] [--search-clients 10] [--refetch on|off] [--share on|off] [--rounds 6]
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
    /** Length of each phase (without, then with live clients). */
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '50' },
    'search-clients': { type: 'string', default: '10' },
    /** Off: the clients only read their streams (the push's own cost, without the app's refetches). */
    refetch: { type: 'string', default: 'on' },
    rounds: { type: 'string', default: '6' },
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

/** CPU over one phase: % of one core, all threads and by thread name (worker threads of one name summed). */
interface Cpu {
  pct: number;
  threads: Map<string, number>;
}

/** CPU used by the server from now until `done` resolves. */
async function cpuDuring(pid: number, done: Promise<unknown>): Promise<Cpu> {
  const cpu0 = cpuSeconds(pid);
  const threads0 = threadCpuSeconds(pid);
  const t0 = performance.now();
  await done;
  const elapsed = (performance.now() - t0) / 1000;
  const pct = ((cpuSeconds(pid) - cpu0) / elapsed) * 100;
  const threads = new Map([...threadCpuSeconds(pid)].map(([name, t]) => [name, ((t - (threads0.get(name) ?? 0)) / elapsed) * 100]));
  return { pct, threads };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One server under the load for the whole run, in phases of `seconds`: without live clients, then
 * with them, `rounds` times. Adjacent phases of one process differ by what the clients cost; two
 * processes differed by more than that (±10 % of a core in ingest alone).
 */
async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-live-'));
  const server: ServerProcess = await spawnServer(['--store', join(dir, 'bench.db'), '--no-tcp', '--web-dir', join(dir, 'none')]);
  const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((r) => sock.connect(server.hepPort, '127.0.0.1', () => r()));
  const pid = server.child.pid!;
  const rounds = Number(values.rounds);
  const pairs: { without: Cpu; with: Cpu }[] = [];
  const push: number[] = [];
  const fetched: number[] = [];
  let dropped = 0;
  let stalled: ReturnType<typeof connect> | null = null;
  try {
    // The probe calls exist before their streams open, as a flow that someone opened does.
    for (let j = 0; j < flowClients; j++) sock.send(probePacket(j, 1));
    await sleep(500);
    // The load comes from a process of its own (bench/stall's sender), so that this one's event
    // loop reads the streams on time; it runs through every phase, with a second to settle first.
    const total = rounds * 2 * seconds + 2;
    const load = spawn(process.execPath, ['--import', 'tsx', 'bench/stall/udp-sender.ts', String(server.hepPort), String(rate), String(total), '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let loadOut = '';
    load.stdout!.on('data', (d: Buffer) => { loadOut += d.toString(); });
    const loadDone = new Promise<void>((r) => load.once('exit', () => r()));
    await sleep(1000);
    // A client that connects and never reads.
    const port = Number(new URL(server.http).port);
    stalled = connect({ host: '127.0.0.1', port }, () => stalled!.write(`GET /api/v1/live?calls=1 HTTP/1.1\r\nHost: x\r\n\r\n`));
    stalled.pause();
    let seq = 2;
    for (let round = 1; round <= rounds; round++) {
      const without = await cpuDuring(pid, sleep(seconds * 1000));
      const streams: SseClient[] = [];
      /** performance.now() when call j's probe was sent, 0 when none waits. */
      const waiting = new Array<number>(flowClients).fill(0);
      const fetches: Promise<unknown>[] = [];
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
      await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready' || e.event === 'change')));

      // Probe messages of the watched calls among the load, one every PROBE_EVERY_MS, round-robin.
      let probes = 0;
      const probing = (async () => {
        const end = performance.now() + seconds * 1000;
        while (performance.now() < end) {
          await sleep(PROBE_EVERY_MS);
          if (flowClients === 0) continue;
          const j = probes++ % flowClients;
          if (waiting[j] !== 0) continue;
          waiting[j] = performance.now();
          sock.send(probePacket(j, seq++));
        }
      })();
      const withLive = await cpuDuring(pid, probing);
      await Promise.allSettled(fetches);
      for (const s of streams) s.close();
      pairs.push({ without, with: withLive });
      console.log(`round ${round}: ${rate} msg/s, ${seconds} s a phase: server CPU ${without.pct.toFixed(0)}% of one core without live clients, ` +
        `${withLive.pct.toFixed(0)}% with ${clients} (${flowClients} flows, ${searchClients} search lists, + 1 stalled)`);
      await sleep(500); // the streams close before the next phase is timed
    }
    await loadDone;
    const sent = (JSON.parse(loadOut.trim().split('\n').pop() || '{}') as { sent?: number }).sent ?? 0;
    await sleep(1000);
    const stored = await metricValue(server.http, 'hepflow_messages_stored_total');
    const text = await (await fetch(`${server.http}/metrics`)).text();
    dropped = text.split('\n').filter((l) => l.startsWith('hepflow_live_clients_dropped_total{')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const pages = {
      shared: await metricValue(server.http, 'hepflow_live_search_pages_total{answer="shared"}'),
      read: await metricValue(server.http, 'hepflow_live_search_pages_total{answer="read"}'),
    };
    const probesSent = seq - 2;
    return { pairs, push, fetched, dropped, pages, sent, stored: stored - flowClients - probesSent };
  } finally {
    stalled?.destroy();
    sock.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);
const r = await run();
/**
 * The machine's speed drifts by ±20 % from phase to phase (every thread's CPU moves together),
 * which buries a cost of a few %. The UDP receiver thread does the same work in every phase
 * (10,000 packets a second; live views never touch it): its CPU is the yardstick, and a phase
 * with live clients is scaled by it to the speed of the phase without them.
 */
const YARDSTICK = 'hepflow-udp';
const speed = (x: { without: Cpu; with: Cpu }) => (x.without.threads.get(YARDSTICK) ?? 0) / (x.with.threads.get(YARDSTICK) || Number.NaN);
const raw = r.pairs.map((x) => x.with.pct - x.without.pct);
const costs = r.pairs.map((x) => x.with.pct * speed(x) - x.without.pct);
const threadCosts = new Map<string, number[]>();
for (const x of r.pairs) {
  for (const name of new Set([...x.with.threads.keys(), ...x.without.threads.keys()])) {
    if (name === YARDSTICK) continue;
    threadCosts.set(name, [...(threadCosts.get(name) ?? []), (x.with.threads.get(name) ?? 0) * speed(x) - (x.without.threads.get(name) ?? 0)]);
  }
}
console.log(`load: sent ${r.sent}, stored ${r.stored} (lost ${r.sent - r.stored}); live streams dropped ${r.dropped}; ` +
  `search pages shared ${r.pages.shared} of ${r.pages.shared + r.pages.read}${share ? '' : ' (--share off)'}`);
console.log(`push latency, packet sent → change event (${r.push.length} probes): p50 ${ms(p(r.push, 50))}, p95 ${ms(p(r.push, 95))}, max ${ms(p(r.push, 100))}`);
console.log(`to the group refetched (what the app then draws): p50 ${ms(p(r.fetched, 50))}, p95 ${ms(p(r.fetched, 95))}`);
console.log(`cost of the live clients${refetch ? ', refetches included' : ' (streams only, no refetch)'}, % of one core, at the speed of the phase without them: ` +
  `median ${p(costs, 50).toFixed(1)} (rounds: ${costs.map((c) => c.toFixed(1)).join(', ')})`);
console.log(`  unscaled: median ${p(raw, 50).toFixed(1)} (rounds: ${raw.map((c) => c.toFixed(1)).join(', ')})`);
console.log(`  by thread, scaled, median: ${[...threadCosts].filter(([, c]) => Math.abs(p(c, 50)) >= 0.5).map(([name, c]) => `${name} ${p(c, 50).toFixed(1)}`).join(', ')}`);
