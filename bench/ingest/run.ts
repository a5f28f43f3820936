/**
 * Ingest benchmark: a hepflow server in its own process receives SIP-over-HEPv3 over UDP from this
 * process at increasing rates. For each rate: sent, stored, lost, server CPU and memory. Then the
 * same traffic to sngrep (Debian's sngrep 1.6) as a reference.
 *
 *   npx tsx bench/ingest/run.ts [--seconds 30] [--rates 10000,20000,40000,60000]
 */
import dgram from 'node:dgram';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchPacket } from '../traffic.ts';
import { spawnServer, cpuSeconds, memoryMiB, metricValue } from '../lib.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, rates: { type: 'string', default: '10000,20000,40000,60000' } } });
const seconds = Number(values.seconds);
const rates = values.rates!.split(',').map(Number);
const TICK_MS = 5;

/** Sends `rate` packets/s for `seconds`, in ticks, without waiting on each send. */
async function blast(port: number, rate: number, startIndex: number): Promise<{ sent: number; wallRate: number }> {
  const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r()));
  const total = rate * seconds;
  const base = Date.now() * 1000;
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + Math.ceil(rate * TICK_MS / 1000));
    while (sent < due) sock.send(benchPacket(startIndex + sent++, base));
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
  return { sent, wallRate: sent / wall };
}

async function hepflowRun(rate: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-'));
  const server = await spawnServer(['--store', join(dir, 'bench.db'), '--no-tcp']);
  const pid = server.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(memoryMiB(pid).rss), 1000);
  const t0 = performance.now();
  const { sent, wallRate } = await blast(server.hepPort, rate, 0);
  // Let the batcher drain, then read what was stored.
  let stored = 0;
  for (let last = -1; stored !== last;) {
    last = stored;
    await new Promise((r) => setTimeout(r, 1000));
    stored = await metricValue(server.http, 'hepflow_messages_stored_total');
  }
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const cpu = cpuSeconds(pid) - cpu0;
  const mem = memoryMiB(pid);
  const half = Math.floor(rssSamples.length / 2);
  const rssMid = rssSamples[half] ?? NaN;
  const rssEnd = rssSamples[rssSamples.length - 1] ?? NaN;
  console.log(`hepflow  rate ${rate}/s (sent at ${wallRate.toFixed(0)}/s for ${seconds}s): sent ${sent}, stored ${stored}, lost ${sent - stored}` +
    ` (${(((sent - stored) / sent) * 100).toFixed(3)}%), CPU ${((cpu / elapsed) * 100).toFixed(0)}% of one core,` +
    ` RSS mid ${rssMid.toFixed(0)} MiB end ${rssEnd.toFixed(0)} MiB peak ${mem.peak.toFixed(0)} MiB`);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** sngrep -N -q -L udp:... -O file: how many of the same packets it writes out. */
async function sngrepRun(rate: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-sngrep-'));
  const port = 19000 + Math.floor(Math.random() * 1000);
  const out = join(dir, 'sngrep.pcap');
  const child = spawn('sngrep', ['-N', '-q', '-L', `udp:127.0.0.1:${port}`, '-O', out], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000));
  const cpu0 = cpuSeconds(child.pid!);
  const t0 = performance.now();
  const { sent } = await blast(port, rate, 0);
  await new Promise((r) => setTimeout(r, 2000));
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const mem = memoryMiB(child.pid!);
  const elapsed = (performance.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const count = existsSync(out) && statSync(out).size > 24
    ? Number(spawnSync('tshark', ['-r', out, '-Y', 'sip', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.trim().split('\n').filter(Boolean).length)
    : 0;
  console.log(`sngrep   rate ${rate}/s: sent ${sent}, written ${count}, lost ${sent - count} (${(((sent - count) / sent) * 100).toFixed(3)}%),` +
    ` CPU ${((cpu / elapsed) * 100).toFixed(0)}% of one core, peak ${mem.peak.toFixed(0)} MiB`);
  rmSync(dir, { recursive: true, force: true });
}

const hasSngrep = spawnSync('sh', ['-c', 'command -v sngrep && command -v tshark'], { stdio: 'ignore' }).status === 0;
console.log(`ingest benchmark: ${seconds}s per rate, HEPv3 over UDP on 127.0.0.1, ${cpus().length} cores`);
for (const rate of rates) {
  await hepflowRun(rate);
  if (hasSngrep) await sngrepRun(rate);
}
if (!hasSngrep) console.log('sngrep or tshark not installed: apt-get install -y sngrep tshark for the reference figures');
