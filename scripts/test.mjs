#!/usr/bin/env node
// `npm test`: every suite (ESLint, Vitest unit + integration, Playwright end-to-end in Debian's
// Chromium), then one line "N passed, N failed" with the totals of all suites; lint counts as one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', ...opts });
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

/** Installs a Debian package when we can (root with apt-get); returns whether the command exists after. */
function ensureDebian(command, pkg) {
  if (has(command)) return true;
  if (!isRoot || !has('apt-get')) return false;
  console.log(`installing Debian's ${pkg} (needed by the tests)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', pkg], { env });
  return has(command);
}

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium) && !(chromium === '/usr/bin/chromium' && ensureDebian('chromium', 'chromium'))) {
  console.error(`no Chromium at ${chromium}: install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH`);
  process.exit(1);
}
// Real peers for the integration tests: pcap export is checked against Wireshark's reader, and
// Kamailio with SIPp sends real HEP. Without them (not root) those suites say they were skipped.
ensureDebian('tshark', 'tshark');
ensureDebian('kamailio', 'kamailio');
ensureDebian('sipp', 'sip-tester');
// rtpengine relays RTP in userspace and reports its RTCP over HEP (server/collector/rtpengine.test.ts).
ensureDebian('rtpengine', 'rtpengine-daemon');
ensureDebian('promtool', 'prometheus');

mkdirSync('.tmp', { recursive: true });
rmSync('.tmp/vitest.json', { force: true });
rmSync('.tmp/playwright.json', { force: true });

const build = run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (build.status !== 0) {
  console.error('web app build failed');
  process.exit(1);
}

// The server compiled to dist/server (when older than its sources) before any suite starts, so
// that the packaged-install test finds it built and no test process sees it rebuilt under it.
if (run('node', ['scripts/build.mjs']).status !== 0) {
  console.error('server build failed');
  process.exit(1);
}

const lint = run('npm', ['run', '--silent', 'lint']);
run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=.tmp/vitest.json']);
run('npx', ['playwright', 'test', '--reporter=list,json'], { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: '.tmp/playwright.json' } });

// What failed, named once more just above the totals: a CI log is often read from its tail only.
const failures = lint.status === 0 ? [] : ['lint'];
let passed = lint.status === 0 ? 1 : 0;
let failed = lint.status === 0 ? 0 : 1;
let skipped = 0;
if (existsSync('.tmp/vitest.json')) {
  const v = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  // A file that failed outside its tests (it did not load, or a beforeAll/afterAll hook threw: its
  // tests then read as skipped) counts as one failure.
  failed += v.numFailedTests + v.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  for (const f of v.testResults) {
    const file = f.name.replace(`${process.cwd()}/`, '');
    const failedTests = f.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failedTests) failures.push(`${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    if (f.status === 'failed' && !failedTests.length) failures.push(`${file}: ${firstLine(f.message)}`);
  }
} else {
  console.error('vitest wrote no report');
  failed++;
}
if (existsSync('.tmp/playwright.json')) {
  const report = JSON.parse(readFileSync('.tmp/playwright.json', 'utf8'));
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected + (report.errors?.length ?? 0); // errors: global setup or a file that did not load
  skipped += report.stats.skipped;
  for (const t of playwrightTests(report.suites ?? [])) if (t.result === 'unexpected') failures.push(`${t.file} › ${t.title}`);
  for (const e of report.errors ?? []) failures.push(`playwright: ${firstLine(e.message)}`);
} else {
  console.error('playwright wrote no report');
  failed++;
}
if (failures.length) console.log(`failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);

function firstLine(text) {
  return String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';
}

/** Every test of a Playwright JSON report with its outcome (expected, unexpected, flaky, skipped). */
function* playwrightTests(suites) {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) yield { title: spec.title, file: spec.file, result: t.status };
    }
    yield* playwrightTests(suite.suites ?? []);
  }
}
