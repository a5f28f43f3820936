/**
 * `npm run bench [-- NAME... [--option value...]]`: runs the benchmarks (each prints its own
 * figures); options after the names go to each of them.
 * Names: ingest, query, pcap, pg, ui, busy, stall, live, inferred. With no name, all of them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const all = ['ingest', 'query', 'pcap', 'pg', 'ui', 'busy', 'stall', 'live', 'inferred'];
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const chosen = names.length ? names : all;
for (const name of chosen) {
  const script = `bench/${name}/run.ts`;
  if (!existsSync(script)) {
    console.error(`no benchmark "${name}" (known: ${all.join(', ')})`);
    process.exitCode = 1;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...options], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
