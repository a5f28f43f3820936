/**
 * The alerting rules of docs/prometheus against Prometheus's own checker, and against the metric
 * names the collector exports (a renamed counter must not leave the rules silently empty).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metrics } from '../collector/metrics.ts';

const DIR = fileURLToPath(new URL('../../docs/prometheus/', import.meta.url));
const have = spawnSync('sh', ['-c', 'command -v promtool'], { stdio: 'ignore' }).status === 0;
if (!have && process.env.CI === 'true') throw new Error('promtool missing: apt-get install -y prometheus');
if (!have) console.log('skipped: no promtool (apt-get install -y prometheus)');

describe('docs/prometheus alerting rules', () => {
  it.skipIf(!have)('pass promtool check rules and their promtool unit tests', () => {
    const check = spawnSync('promtool', ['check', 'rules', 'hepflow-alerts.yml'], { cwd: DIR, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'hepflow-alerts.test.yml'], { cwd: DIR, encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });

  it('name only metrics that hepflow exports', async () => {
    const rules = readFileSync(DIR + 'hepflow-alerts.yml', 'utf8');
    const used = new Set([...rules.matchAll(/\b(hepflow_[a-z_]+?)(?:_bucket)?\b[{[]/g)].map((m) => m[1]));
    const exported = new Set((await new Metrics().registry.getMetricsAsJSON()).map((m) => m.name));
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(exported, name).toContain(name);
  });
});
