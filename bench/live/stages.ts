/**
 * Where the live push's time goes: bench/live's load and probes against a server in this process,
 * whose stages are timed for every probe message: packet sent → ingested (UDP thread, parse) →
 * handed to the store (batcher wait, window step) → stored (writer thread, commit) → tick (hub
 * coalescing) → `change` read by the client (session, SSE write, socket) → group refetched.
 * The clients share the server's event loop here, so totals run a little above bench/live's.
 *
 *   node --import tsx bench/live/stages.ts [--seconds 20] [--rate 10000] [--clients 40] [--batch-delay-ms 100]
 */
import dgram from 'node:dgram';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile, threadCpuSeconds } from '../lib.ts';
import { defaults } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { Ingest } from '../../server/collector/ingest.ts';
import { LiveHub } from '../../server/live/hub.ts';
import { openSse, type SseClient } from '../../server/live/sse-client.ts';
import { encodeHep3 } from '../../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../../server/hep/chunks.ts';
import type { MessageInput } from '../../server/store/types.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '40' },
    'batch-delay-ms': { type: 'string', default: String(defaults.batchDelayMs) },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const clients = Number(values.clients);
const PROBE_EVERY_MS = 100;

const probeCallId = (j: number) => `probe-${j}@bench.example`;
function probePacket(j: number, seq: number): Buffer {
  const text = [`OPTIONS sip:probe@10.2.0.20 SIP/2.0`, `Via: SIP/2.0/UDP 10.1.0.10:5060;branch=z9hG4bKp${j}x${seq}`,
    `From: <sip:probe@bench.example>;tag=p${j}`, 'To: <sip:probe@10.2.0.20>', `Call-ID: ${probeCallId(j)}`,
    `CSeq: ${seq} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n');
  const ts = Date.now() * 1000;
  return encodeHep3({
    ipProtocol: IP_PROTOCOL.udp, srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 5060, dstPort: 5060,
    tsSec: Math.floor(ts / 1e6), tsUsec: ts % 1e6, protoType: PROTO_TYPE.sip, captureId: 101, payload: text,
  });
}

/** performance.now() of each stage, by probe "j:seq". */
interface Probe { sent: number; ingested?: number; handed?: number; stored?: number; ticked?: number; pushed?: number; fetched?: number }
const probes = new Map<string, Probe>();
const probeOf = (m: MessageInput) => (m.callId.startsWith('probe-') ? probes.get(`${m.callId.slice(6, m.callId.indexOf('@'))}:${m.cseqNum}`) : undefined);

// Ingested: hep() answers the Call-ID; the probe is found by its call's one waiting probe.
const waitingOf = new Map<number, string>();
const hep = Ingest.prototype.hep;
Ingest.prototype.hep = function (this: Ingest, ...args: Parameters<typeof hep>) {
  const id = hep.apply(this, args);
  if (id?.startsWith('probe-')) {
    const p = probes.get(waitingOf.get(Number(id.slice(6, id.indexOf('@')))) ?? '');
    if (p && p.ingested === undefined) p.ingested = performance.now();
  }
  return id;
};
let lastStoredAt = 0;
const flush = LiveHub.prototype.flush;
LiveHub.prototype.flush = function (this: LiveHub) {
  const now = performance.now();
  for (const p of probes.values()) if (p.stored !== undefined && p.stored <= now && p.ticked === undefined) p.ticked = now;
  flush.call(this);
};

const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-stages-'));
const server = await startServer({
  ...defaults, httpHost: '127.0.0.1', httpPort: 0, hepHost: '127.0.0.1', hepPort: 0, tcp: false, retentionDays: 0,
  store: join(dir, 'bench.db'), webDir: join(dir, 'none'), logLevel: 'silent', batchDelayMs: Number(values['batch-delay-ms']),
});
const batches: { size: number; ms: number }[] = [];
const insert = server.store.insert.bind(server.store);
server.store.insert = (batch, ...rest) => {
  const t = performance.now();
  const mine = batch.map(probeOf).filter((p): p is Probe => p !== undefined);
  for (const p of mine) p.handed = t;
  return insert(batch, ...rest).then(() => {
    const done = performance.now();
    batches.push({ size: batch.length, ms: done - t });
    lastStoredAt = done;
    for (const p of mine) p.stored = done;
  });
};

const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
await new Promise<void>((r) => sock.connect(server.hepUdp!.port, '127.0.0.1', () => r()));
for (let j = 0; j < clients; j++) sock.send(probePacket(j, 1));
await new Promise((r) => setTimeout(r, 500));
const streams: SseClient[] = [];
const fetches: Promise<unknown>[] = [];
for (let j = 0; j < clients; j++) {
  const s = await openSse(`${server.httpUrl}/api/v1/live?group=${encodeURIComponent(probeCallId(j))}`);
  s.onEvent = (e) => {
    const p = probes.get(waitingOf.get(j) ?? '');
    if (e.event !== 'change' || !p || p.pushed !== undefined || p.stored === undefined) return;
    p.pushed = e.at;
    waitingOf.delete(j);
    fetches.push(fetch(`${server.httpUrl}/api/v1/groups/${encodeURIComponent(probeCallId(j))}`).then((r) => r.text()).then(() => { p.fetched = performance.now(); }));
  };
  streams.push(s);
}
await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready' || e.event === 'change')));

const cpu0 = threadCpuSeconds(process.pid);
const t0 = performance.now();
const load = spawn(process.execPath, ['--import', 'tsx', 'bench/stall/udp-sender.ts', String(server.hepUdp!.port), String(rate), String(seconds), '0'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
let running = true;
load.once('exit', () => { running = false; });
let n = 0;
let seq = 2;
while (running) {
  await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  if (clients === 0) continue;
  const j = n++ % clients;
  if (waitingOf.has(j)) continue;
  const key = `${j}:${seq}`;
  probes.set(key, { sent: performance.now() });
  waitingOf.set(j, key);
  sock.send(probePacket(j, seq++));
}
const elapsed = (performance.now() - t0) / 1000;
const cpu1 = threadCpuSeconds(process.pid);
await new Promise((r) => setTimeout(r, 1500));
await Promise.allSettled(fetches);
for (const s of streams) s.close();
sock.close();
await server.close();
rmSync(dir, { recursive: true, force: true });

const done = [...probes.values()].filter((p) => p.fetched !== undefined && p.ticked !== undefined);
const stage = (name: string, f: (p: Probe) => number) => {
  const xs = done.map(f).sort((a, b) => a - b);
  console.log(`  ${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(xs, 95).toFixed(0).padStart(5)} ms`);
};
const sizes = batches.map((b) => b.size).sort((a, b) => a - b);
const writeMs = batches.map((b) => b.ms).sort((a, b) => a - b);
console.log(`${rate} msg/s for ${seconds}s, ${clients} flow clients, batchDelayMs ${values['batch-delay-ms']}: ${done.length} probes`);
console.log(`  batches: ${batches.length}, size p50 ${percentile(sizes, 50)}, write p50 ${percentile(writeMs, 50).toFixed(0)} ms, p95 ${percentile(writeMs, 95).toFixed(0)} ms (last at ${lastStoredAt.toFixed(0)})`);
const pct = (name: string) => `${name} ${(((cpu1.get(name) ?? 0) - (cpu0.get(name) ?? 0)) / elapsed * 100).toFixed(0)}%`;
const total = [...cpu1.keys()].reduce((t, k) => t + (cpu1.get(k) ?? 0) - (cpu0.get(k) ?? 0), 0);
console.log(`  CPU of one core while loaded: ${['main', 'sqlite-writer', 'sqlite-checkpt', 'hepflow-udp'].map(pct).join(', ')}; all threads ${(total / elapsed * 100).toFixed(0)}%`);
stage('sent → ingested (UDP thread, parse)', (p) => p.ingested! - p.sent);
stage('ingested → handed to store (batcher)', (p) => p.handed! - p.ingested!);
stage('handed → stored (writer, commit)', (p) => p.stored! - p.handed!);
stage('stored → tick (hub coalescing)', (p) => p.ticked! - p.stored!);
stage('tick → change read (session, SSE)', (p) => p.pushed! - p.ticked!);
stage('change → group refetched', (p) => p.fetched! - p.pushed!);
stage('total: sent → change', (p) => p.pushed! - p.sent);
stage('total: sent → refetched', (p) => p.fetched! - p.sent);
