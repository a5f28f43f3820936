/**
 * Capture import benchmark: a generated ~200 MB capture of SIP over UDP and TCP (interleaved calls
 * through a proxy, generate.ts), imported by `hepflow import` (into a temporary SQLite store), by
 * the reader + SIP parser alone and by the reader + extractor alone, beside
 * `tshark -r FILE -Y sip -T fields -e sip.Call-ID` and `sngrep -I FILE -N -q -l 1000000` on the same
 * file. Prints MB/s, messages/s, peak memory, and the wall-time ratios to tshark and sngrep.
 * Files of a quarter and twice that size are imported too, to show that peak memory levels off.
 *   npx tsx bench/pcap/run.ts [sizeMB] [rounds]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from './generate.ts';
import { tsharkAvailable } from '../../server/pcap/tshark.ts';

interface Run { ms: number; bytes: number; messages: number; peakRssMiB: number }

const sizeMB = Number(process.argv[2] ?? 200);
/** hepflow / tshark pairs of runs on the main file. */
const ROUNDS = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'hepflow-bench-pcap-'));

function importRun(file: string, mode: 'store' | 'parse' | 'read'): Run {
  // The V8 flag of bin/hepflow.js's shebang, so that this runs as `hepflow import` does.
  const out = execFileSync(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'bench/pcap/import-once.ts', file, mode, join(dir, `${mode}-${Date.now()}.db`)], {
    encoding: 'utf8', maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** tshark under /usr/bin/time: wall seconds and peak RSS (KiB), plus the Call-ID lines it printed. */
function tsharkRun(file: string, bytes: number): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'tshark', '-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const [secs, kib] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const messages = r.stdout.split('\n').filter(Boolean).length;
  return { ms: secs * 1000, bytes, messages, peakRssMiB: kib / 1024 };
}

/** sngrep reading the file without its UI (it exits at the end of the file): wall seconds and peak RSS. */
function sngrepRun(file: string, bytes: number, messages: number): Run | null {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sngrep', '-I', file, '-N', '-q', '-l', '1000000'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [secs, kib] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms: secs * 1000, bytes, messages, peakRssMiB: kib / 1024 };
}

function line(name: string, r: Run): string {
  const s = r.ms / 1000;
  return `${name.padEnd(34)} ${(r.bytes / 1e6 / s).toFixed(1).padStart(7)} MB/s ${Math.round(r.messages / s).toString().padStart(9)} msg/s ` +
    `${r.messages.toString().padStart(8)} msgs ${s.toFixed(2).padStart(7)} s  peak ${r.peakRssMiB.toFixed(0).padStart(5)} MiB`;
}

try {
  const big = join(dir, 'bench.pcap');
  const small = join(dir, 'bench-small.pcap');
  const double = join(dir, 'bench-double.pcap');
  const g = await generateCapture(big, sizeMB * 1e6);
  const gs = await generateCapture(small, (sizeMB / 4) * 1e6);
  const gd = await generateCapture(double, sizeMB * 2 * 1e6);
  console.log(`generated ${(g.bytes / 1e6).toFixed(1)} MB: ${g.calls} calls, ${g.messages} SIP messages (half UDP, half TCP, two hops each, ~40,000 calls in progress at once)`);
  console.log(`and ${(gs.bytes / 1e6).toFixed(1)} MB and ${(gd.bytes / 1e6).toFixed(1)} MB files for the memory comparison\n`);

  // Write the generated files out first, so that the first timed run does not share the disk
  // and a core with the kernel flushing them.
  execFileSync('sync');
  // This machine's speed drifts by ±20% within a minute (shared cores), so hepflow and tshark
  // run alternately, ROUNDS times, and each round's ratio is printed: one pair of runs taken
  // minutes apart would compare two different machines.
  const haveTshark = tsharkAvailable();
  // One untimed import first: tsx compiles the TypeScript of a changed checkout on its first load
  // (cached after), which is a cost of this checkout, not of importing a capture.
  importRun(small, 'store');
  const haveSngrep = spawnSync('sh', ['-c', 'command -v sngrep'], { stdio: 'ignore' }).status === 0;
  const rounds: { store: Run; ts: Run | null; sng: Run | null }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const store = importRun(big, 'store');
    const ts = haveTshark ? tsharkRun(big, g.bytes) : null;
    const sng = haveSngrep ? sngrepRun(big, g.bytes, g.messages) : null;
    rounds.push({ store, ts, sng });
    console.log(`round ${i + 1}`);
    console.log(line('  hepflow import (SQLite store)', store));
    if (store.messages !== g.messages) console.log(`!! stored ${store.messages} of ${g.messages} messages`);
    if (ts) {
      console.log(line('  tshark -Y sip -e sip.Call-ID', ts));
      if (ts.messages !== g.messages) console.log(`!! tshark found ${ts.messages} of ${g.messages} messages`);
      console.log(`  ratio ${(ts.ms / store.ms).toFixed(2)}x`);
    }
    if (sng) {
      console.log(line('  sngrep -I -N -q (count not printed)', sng));
      console.log(`  ratio ${(sng.ms / store.ms).toFixed(2)}x`);
    }
  }
  const parse = importRun(big, 'parse');
  const read = importRun(big, 'read');
  const storeSmall = importRun(small, 'store');
  const storeDouble = importRun(double, 'store');
  rmSync(double);
  console.log('');
  console.log(line('reader + SIP parser only', parse));
  console.log(line('reader + extractor only (pcap layer)', read));
  console.log(line(`hepflow import, ${(gs.bytes / 1e6).toFixed(0)} MB file`, storeSmall));
  console.log(line(`hepflow import, ${(gd.bytes / 1e6).toFixed(0)} MB file`, storeDouble));

  if (!haveTshark) {
    console.log('\ntshark is not installed: no ratio (apt-get install -y tshark)');
  } else {
    const ratios = rounds.map((r) => r.ts!.ms / r.store.ms).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    const best = (runs: Run[]) => Math.min(...runs.map((r) => r.ms));
    const tsBest = best(rounds.map((r) => r.ts!));
    console.log(`\nthroughput ratio to tshark over ${ROUNDS} interleaved rounds: import median ${median.toFixed(2)}x ` +
      `(rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; best vs best ${(tsBest / best(rounds.map((r) => r.store))).toFixed(2)}x), ` +
      `reader+parser ${(tsBest / parse.ms).toFixed(2)}x, pcap layer ${(tsBest / read.ms).toFixed(2)}x against tshark's best (target >= 3x)`);
  }
  if (haveSngrep) {
    const ratios = rounds.map((r) => r.sng!.ms / r.store.ms).sort((a, b) => a - b);
    console.log(`wall-time ratio to sngrep over ${ROUNDS} interleaved rounds: import median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x ` +
      `(rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; target >= 1.5x)`);
  } else {
    console.log('sngrep is not installed: no ratio (apt-get install -y sngrep)');
  }
  // Fixed costs come first (two V8 heaps, SQLite's page caches); past them memory levels off.
  const mb = (r: Run) => `${(r.bytes / 1e6).toFixed(0)} MB: ${r.peakRssMiB.toFixed(0)} MiB`;
  console.log(`peak memory by file size: ${[storeSmall, rounds[0].store, storeDouble].map(mb).join(', ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
