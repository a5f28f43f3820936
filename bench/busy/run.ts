/**
 * UDP while the ingest thread is busy: another process sends N HEPv3 packets over UDP, 20,000
 * packets/s in 5 ms ticks (a busy proxy's pace), while this process, which ingests them, is
 * blocked (as under a long API request or a GC pause). N is more than a stock kernel receive
 * buffer holds (net.core.rmem_max 4 MiB: a few thousand packets), so nothing may be lost only
 * because the socket lives on a thread of its own (collector/udp-receiver.ts). Prints sent,
 * stored and dropped; exits 1 when a packet was lost.
 *
 *   npx tsx bench/busy/run.ts [--packets 20000]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer, waitFor, metric } from '../../server/testing/harness.ts';
import { benchPacket } from '../traffic.ts';

const { values } = parseArgs({ options: { packets: { type: 'string', default: '20000' } } });
const N = Number(values.packets);

const s = await startTestServer();
const dir = mkdtempSync(join(tmpdir(), 'hepflow-busy-'));
try {
  const base = Date.now() * 1000;
  const packets = Array.from({ length: N }, (_, i) => benchPacket(i, base));
  writeFileSync(join(dir, 'packets'), Buffer.concat(packets.flatMap((p) => [Buffer.from(Uint32Array.of(p.length).buffer), p])));
  const done = join(dir, 'done');
  const t0 = performance.now();
  const sender = spawn(process.execPath, ['--input-type=module', '-e', `
    import dgram from 'node:dgram';
    import { readFileSync, writeFileSync } from 'node:fs';
    const all = readFileSync(${JSON.stringify(join(dir, 'packets'))});
    const sock = dgram.createSocket('udp4');
    sock.connect(${s.hepUdp!.port}, '127.0.0.1', async () => {
      for (let at = 0, n = 0; at < all.length; n++) {
        const len = all.readUInt32LE(at);
        sock.send(all.subarray(at + 4, at + 4 + len));
        at += 4 + len;
        if (n % 100 === 99) await new Promise((r) => setTimeout(r, 5));
      }
      sock.close(() => writeFileSync(${JSON.stringify(done)}, ''));
    });`], { stdio: 'inherit' });
  const deadline = Date.now() + 30_000;
  while (!existsSync(done) && Date.now() < deadline) { /* blocked on purpose: the ingest thread is busy */ }
  await new Promise((r) => sender.once('exit', r));
  const stored = () => s.get<string>('/metrics').then((r) => metric(r.body, 'hepflow_messages_stored_total'));
  await waitFor(async () => (await stored()) >= N, `${N} stored`, 30_000).catch(() => {});
  const text = (await s.get<string>('/metrics')).body;
  const figures = {
    sent: N,
    stored: metric(text, 'hepflow_messages_stored_total'),
    droppedKernelBufferFull: metric(text, 'hepflow_messages_dropped_total{reason="kernel-buffer-full"}'),
    seconds: Math.round(performance.now() - t0) / 1000,
  };
  console.log(JSON.stringify(figures));
  if (figures.stored !== N || figures.droppedKernelBufferFull !== 0) {
    console.error(`lost ${N - figures.stored} of ${N} packets while the ingest thread was busy`);
    process.exitCode = 1;
  }
} finally {
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
}
