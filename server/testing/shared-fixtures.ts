/**
 * The team's public sample captures live beside the repo in ../shared/fixtures/public, which a
 * user's clone does not have. Suites that read them skip with a reason when they are absent, and
 * fail instead under CI=true, where they must run.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const PUBLIC = resolve(import.meta.dirname, '../../../shared/fixtures/public');

/** Path of a public sample capture, e.g. 'sngrep-aaa.pcap'. */
export function sharedFixture(name: string): string {
  return resolve(PUBLIC, name);
}

/** True when the shared captures are missing (and CI is not set): the suite should skip. */
export const noSharedFixtures: boolean = (() => {
  if (existsSync(PUBLIC)) return false;
  if (process.env.CI === 'true') throw new Error(`no shared fixtures at ${PUBLIC} (CI=true: these tests must run)`);
  console.log(`skipped: no shared fixtures at ${PUBLIC}`);
  return true;
})();
