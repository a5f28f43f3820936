/**
 * `npm run bench [-- NAME...]`: runs the benchmarks (each prints its own figures).
 * Names: ingest, query, pcap, pg, ui, busy. With no name, all of them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const all = ['ingest', 'query', 'pcap', 'pg', 'ui', 'busy'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const name of chosen) {
  const script = `bench/${name}/run.ts`;
  if (!existsSync(script)) {
    console.error(`no benchmark "${name}" (known: ${all.join(', ')})`);
    process.exitCode = 1;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
