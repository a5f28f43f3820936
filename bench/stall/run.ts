/**
 * Stall benchmark (hepflow issue 13): does one heavy request stall the others? A real server
 * holds a 20,000-message group and many 13-message groups. Then, for 4 and for 20 clients that
 * keep fetching the big group (another process, gzip as a browser asks), while a third process
 * sends 10,000 HEPv3 msg/s over UDP, this process times a 13-message group fetch and /healthz one
 * after another, and prints their p50/p99 and the UDP packets lost (sent minus stored).
 * Target: p99 < 50 ms for both, nothing lost.
 *
 *   npm run bench -- stall [--seconds 15] [--rate 10000] [--small 200] [--clients 4,20] [--store postgres://...]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSocket } from 'node:dgram';
import { encodeHep3 } from '../../server/hep/encode.ts';
import { metricValue, percentile, spawnServer, threadCpuSeconds } from '../lib.ts';
import { keepaliveGroup } from '../ui/groups.ts';
import { shortCallGroup } from './groups.ts';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '15' }, rate: { type: 'string', default: '10000' }, small: { type: 'string', default: '200' },
  clients: { type: 'string', default: '4,20' }, store: { type: 'string' },
} });
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const BIG = 20_000;

const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-stall-'));
const server = await spawnServer(['--store', values.store ?? join(dir, 'stall.db')]);
const STORED = 'hepflow_messages_stored_total';

const children = new Set<ChildProcess>();

/** Runs a bench/stall script in a child process; resolves with its last JSON line. */
function child(script: string, args: (string | number)[]): Promise<any> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(p);
  let out = '';
  p.stdout!.on('data', (d: Buffer) => { out += d; });
  const done = new Promise((resolve, reject) => p.once('exit', (code) => {
    children.delete(p);
    if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
    resolve(JSON.parse(out.trim().split('\n').pop()!));
  }));
  done.catch(() => {}); // seen where it is awaited; until then not an unhandled rejection
  return done;
}

async function waitStored(n: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let stored = 0;
  let still = 0;
  while (Date.now() < deadline) {
    const now = await metricValue(server.http, STORED);
    // Done when all are in, or when nothing more has come for 3 s (the rest was lost).
    if (now >= n) return now;
    still = now === stored ? still + 1 : 0;
    stored = now;
    if (still >= 15) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
  return stored;
}

/** Feeds the groups over UDP at ~10,000 packets/s, a pace every store keeps up with. */
async function feed(packets: Buffer[]): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.connect(server.hepPort, '127.0.0.1', r));
  for (let i = 0; i < packets.length; i++) {
    sock.send(packets[i]);
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise<void>((r) => sock.close(() => r()));
}

try {
  let base = Date.UTC(2025, 0, 1) * 1000;
  const big = keepaliveGroup(BIG, base, 901);
  base = big.end + 3_600_000_000;
  const small = Array.from({ length: Number(values.small) }, (_, i) => {
    const g = shortCallGroup(base, 2000 + i);
    base = g.end + 3_600_000_000; // an hour apart: never linked
    return g;
  });
  const packets = [big, ...small].flatMap((g) => g.packets.map(encodeHep3));
  const t0 = performance.now();
  await feed(packets);
  const stored = await waitStored(packets.length);
  console.log(`fed ${packets.length} messages (1 group of ${BIG}, ${small.length} of ${small[0].size}) over UDP; ${stored} stored in ${Math.round(performance.now() - t0)} ms`);
  if (stored < packets.length) throw new Error(`${packets.length - stored} of the groups' messages were not stored: no figures`);

  const bigUrl = `${server.http}/api/v1/groups/${encodeURIComponent(big.callId)}`;
  // One fetch of each kind first, as on a server that has been up a while (compiled code, caches).
  for (const url of [bigUrl, `${server.http}/api/v1/groups/${encodeURIComponent(small[0].callId)}`, `${server.http}/healthz`]) await (await fetch(url)).arrayBuffer();
  let firstIndex = 0;
  for (const clients of values.clients.split(',').map(Number)) {
    const before = await metricValue(server.http, STORED);
    const cpuBefore = threadCpuSeconds(server.child.pid!);
    const load = child('load-clients.ts', [bigUrl, clients, seconds]);
    const udp = child('udp-sender.ts', [server.hepPort, rate, seconds, firstIndex]);
    // Let the load start before timing.
    await new Promise((r) => setTimeout(r, 1000));
    const group: number[] = [];
    const health: number[] = [];
    const until = Date.now() + (seconds - 2) * 1000;
    for (let i = 0; Date.now() < until; i++) {
      const g = small[i % small.length];
      const path = i % 2 ? '/healthz' : `/api/v1/groups/${encodeURIComponent(g.callId)}`;
      const t = performance.now();
      const res = await fetch(server.http + path);
      const body = await res.text();
      (i % 2 ? health : group).push(performance.now() - t);
      if (!res.ok || (i % 2 === 0 && JSON.parse(body).messages.length !== g.size)) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const [bigAnswers, sent] = await Promise.all([load, udp]);
    firstIndex += sent.sent;
    const got = (await waitStored(before + sent.sent)) - before;
    const row = (what: string, ms: number[]) => {
      ms.sort((a, b) => a - b);
      return `${what} p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms (${ms.length})`;
    };
    console.log(`\n${clients} clients fetching the ${BIG}-message group: ${bigAnswers.answers} answers in ${seconds} s, p50 ${Math.round(bigAnswers.p50)} ms, ${bigAnswers.failed} failed`);
    console.log(`  ${row(`${small[0].size}-message group fetch:`, group)}`);
    console.log(`  ${row('/healthz:', health)}`);
    console.log(`  UDP ingest: ${sent.sent} sent at ${Math.round(sent.sent / sent.seconds)} msg/s, ${got} stored, ${sent.sent - got} lost${sent.refused ? ` (${sent.refused} send errors: refused)` : ''}`);
    // Where the server's CPU went, by thread (view threads and the SQLite writer are named).
    const cpu = [...threadCpuSeconds(server.child.pid!)].map(([name, sec]) => [name, sec - (cpuBefore.get(name) ?? 0)] as const)
      .filter(([, sec]) => sec >= 0.1).sort((a, b) => b[1] - a[1]);
    console.log(`  server CPU s by thread: ${cpu.map(([name, sec]) => `${name} ${sec.toFixed(1)}`).join(', ')}`);
    const worst = Math.max(percentile(group, 99), percentile(health, 99));
    console.log(`  target p99 < 50 ms and nothing lost: ${worst < 50 && got === sent.sent ? 'met' : 'MISSED'}`);
  }
} finally {
  for (const c of children) c.kill();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
