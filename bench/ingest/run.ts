/**
 * Ingest benchmark: a hepflow server in its own process receives SIP-over-HEPv3 over UDP from this
 * process, for each traffic mix (bench/traffic.ts MIXES) at each rate; then sngrep (Debian's 1.6)
 * gets the very same packets. Per run: sent, stored, lost (and where), the server's CPU per thread
 * and memory; per mix and rate, the ratio of what each kept.
 *
 *   npm run bench -- ingest [--seconds 30] [--rates 40000,60000] [--mixes calls-sdp,calls-nosdp,...]
 */
import dgram from 'node:dgram';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MIXES, mixPackets } from '../traffic.ts';
import { spawnServer, cpuSeconds, memoryMiB, metricValue, threadCpuSeconds } from '../lib.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rates: { type: 'string', default: '40000,60000' },
    mixes: { type: 'string', default: Object.keys(MIXES).join(',') },
  },
});
const seconds = Number(values.seconds);
const rates = values.rates!.split(',').map(Number);
const mixes = values.mixes!.split(',');
const TICK_MS = 5;

/** Sends `packets` at `rate` packets/s, in ticks, without waiting on each send. */
async function blast(port: number, rate: number, packets: Buffer[]): Promise<{ sent: number; wallRate: number }> {
  const sock = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((r) => sock.connect(port, '127.0.0.1', () => r()));
  const total = packets.length;
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + Math.ceil(rate * TICK_MS / 1000));
    while (sent < due) sock.send(packets[sent++]);
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  sock.close();
  return { sent, wallRate: sent / wall };
}

async function hepflowRun(rate: number, packets: Buffer[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-'));
  const server = await spawnServer(['--store', join(dir, 'bench.db'), '--no-tcp']);
  const pid = server.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const threads0 = threadCpuSeconds(pid);
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(memoryMiB(pid).rss), 1000);
  const t0 = performance.now();
  const { sent, wallRate } = await blast(server.hepPort, rate, packets);
  // Let the batcher drain, then read what was stored.
  let stored = 0;
  for (let last = -1; stored !== last;) {
    last = stored;
    await new Promise((r) => setTimeout(r, 1000));
    stored = await metricValue(server.http, 'hepflow_messages_stored_total');
  }
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const where = await lossReport(server.http, server.hepPort);
  const cpu = cpuSeconds(pid) - cpu0;
  const threads = [...threadCpuSeconds(pid)].map(([name, sec]) => [name, sec - (threads0.get(name) ?? 0)] as const)
    .filter(([, sec]) => sec / elapsed >= 0.02).sort((x, y) => y[1] - x[1]);
  const mem = memoryMiB(pid);
  const half = Math.floor(rssSamples.length / 2);
  const rssMid = rssSamples[half] ?? NaN;
  const rssEnd = rssSamples[rssSamples.length - 1] ?? NaN;
  console.log(`hepflow  rate ${rate}/s (sent at ${wallRate.toFixed(0)}/s for ${seconds}s): sent ${sent}, stored ${stored}, lost ${sent - stored}` +
    ` (${(((sent - stored) / sent) * 100).toFixed(3)}%), CPU ${((cpu / elapsed) * 100).toFixed(0)}% of one core,` +
    ` RSS mid ${rssMid.toFixed(0)} MiB end ${rssEnd.toFixed(0)} MiB peak ${mem.peak.toFixed(0)} MiB${where}`);
  console.log(`         per thread (% of one core): ${threads.map(([name, sec]) => `${name} ${((sec / elapsed) * 100).toFixed(0)}`).join(', ')}`);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  return stored;
}

/** Where packets were lost: in the kernel's receive buffer (/proc/net/udp) or counted by hepflow. */
async function lossReport(http: string, port: number): Promise<string> {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const row = readFileSync('/proc/net/udp', 'utf8').split('\n').find((l) => l.trim().split(/\s+/)[1]?.endsWith(hexPort));
  const kernel = row ? Number(row.trim().split(/\s+/).pop()) : NaN;
  const text = await (await fetch(`${http}/metrics`)).text();
  const counted = text.split('\n').filter((l) => l.startsWith('hepflow_messages_dropped_total{')).map((l) => l.replace('hepflow_messages_dropped_total', ''));
  return kernel || counted.length ? ` (lost in the kernel buffer: ${kernel}; dropped by hepflow: ${counted.join(', ') || 0})` : '';
}

/** sngrep -N -q -L udp:... -O file: how many of the same packets it writes out. */
async function sngrepRun(rate: number, packets: Buffer[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-sngrep-'));
  const port = 19000 + Math.floor(Math.random() * 1000);
  const out = join(dir, 'sngrep.pcap');
  const child = spawn('sngrep', ['-N', '-q', '-L', `udp:127.0.0.1:${port}`, '-O', out], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000));
  const cpu0 = cpuSeconds(child.pid!);
  const t0 = performance.now();
  const { sent } = await blast(port, rate, packets);
  await new Promise((r) => setTimeout(r, 2000));
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const mem = memoryMiB(child.pid!);
  const elapsed = (performance.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const count = existsSync(out) ? pcapRecords(readFileSync(out)) : 0;
  console.log(`sngrep   rate ${rate}/s: sent ${sent}, written ${count}, lost ${sent - count} (${(((sent - count) / sent) * 100).toFixed(3)}%),` +
    ` CPU ${((cpu / elapsed) * 100).toFixed(0)}% of one core, peak ${mem.peak.toFixed(0)} MiB`);
  rmSync(dir, { recursive: true, force: true });
  return count;
}

/** Records in a classic pcap file (sngrep -O writes one per SIP message). */
function pcapRecords(buf: Buffer): number {
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
  let n = 0;
  for (let at = 24; at + 16 <= buf.length; n++) at += 16 + (le ? buf.readUInt32LE(at + 8) : buf.readUInt32BE(at + 8));
  return n;
}

const hasSngrep = spawnSync('sh', ['-c', 'command -v sngrep'], { stdio: 'ignore' }).status === 0;
const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
console.log(`ingest benchmark: ${seconds}s per rate, HEPv3 over UDP on 127.0.0.1, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')},` +
  ` net.core.rmem_max ${(rmemMax / 1048576).toFixed(0)} MiB (hepflow asks for 32 MiB)`);
const summary: string[] = [];
for (const mix of mixes) {
  console.log(`\n-- ${mix}: ${MIXES[mix]?.about ?? '?'}`);
  for (const rate of rates) {
    // Built before the clock starts: the sender shares the 2 cores with the server.
    const packets = mixPackets(mix, rate * seconds, Date.now() * 1000);
    const ours = await hepflowRun(rate, packets);
    const theirs = hasSngrep ? await sngrepRun(rate, packets) : NaN;
    // Each is judged against every packet sent: sngrep 1.6 writes the HEP RTCP reports of the
    // calls-rtcp mix to its pcap too, not only the SIP.
    const share = (n: number) => n / packets.length;
    const pct = (f: number) => `${(f * 100).toFixed(1)} %`;
    const line = `${mix.padEnd(17)} ${String(rate).padStart(6)}/s  hepflow kept ${pct(share(ours)).padStart(7)}` +
      `  sngrep kept ${hasSngrep ? pct(share(theirs)).padStart(7) : 'n/a'}` +
      (hasSngrep ? `  ratio ${(share(ours) / Math.max(1e-9, share(theirs))).toFixed(2)}x` : '');
    console.log(line);
    summary.push(line);
  }
}
console.log(`\nsummary (${seconds} s per run, load now ${loadavg().map((l) => l.toFixed(2)).join(' ')}):\n${summary.join('\n')}`);
if (!hasSngrep) console.log('sngrep not installed: apt-get install -y sngrep for the reference figures');
