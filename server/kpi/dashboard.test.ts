/**
 * The Grafana dashboard of docs/grafana and the search links of the alerting rules: they query only
 * metrics hepflow exports, and every link opens a search the app reads back whole (a parameter it
 * does not know, or a value it would drop, would open a different search than the panel shows).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metrics } from '../collector/metrics.ts';
import { DISPOSITIONS, PROBLEM_CODE_LIST } from './codes.ts';
import { parseFilters, serializeFilters } from '../../web/src/search/search-params.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const dashboard = JSON.parse(readFileSync(DOCS + 'grafana/hepflow-dashboard.json', 'utf8'));
const panels: any[] = dashboard.panels;

/** A link's query with Grafana's variables given sample values, once per value of a label it names. */
function expand(url: string): URLSearchParams[] {
  const fixed = url.replace('${__from:date:iso}', '2026-12-05T10:00:00.000Z').replace('${__to:date:iso}', '2026-12-05T11:00:00.000Z');
  const labels: Record<string, readonly string[]> = { disposition: DISPOSITIONS, code: PROBLEM_CODE_LIST };
  const named = /\$\{__field\.labels\.(\w+)\}/.exec(fixed)?.[1];
  const values = named ? labels[named] : [''];
  expect(values, `a label the metrics carry: ${named}`).toBeDefined();
  return values.map((v) => new URLSearchParams(fixed.replaceAll(`\${__field.labels.${named}}`, v).split('?')[1] ?? ''));
}

/** The link's parameters as the app reads and writes them back. */
const roundTrip = (q: URLSearchParams) => new URLSearchParams(serializeFilters(parseFilters(q)));
/** Entries in order, times as instants (the app writes them back with microseconds). */
const sorted = (q: URLSearchParams) =>
  [...q.entries()].map(([k, v]) => [k, k === 'from' || k === 'to' ? String(Date.parse(v)) : v]).sort();

describe('docs/grafana dashboard', () => {
  it('is a dashboard with a Prometheus data source and the hepflow address as variables', () => {
    expect(dashboard.uid).toBe('hepflow-calls');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.map((v: any) => [v.name, v.type])).toEqual([['datasource', 'datasource'], ['hepflow_url', 'textbox']]);
    expect(panels.length).toBeGreaterThan(5);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  it('queries only metrics that hepflow exports', async () => {
    const exported = new Set((await new Metrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(panels.flatMap((p) => p.targets.flatMap((t: any) => [...t.expr.matchAll(/\b(hepflow_[a-z_]+?)(?:_bucket)?\b[{[)]/g)].map((m) => m[1]))));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exported, name).toContain(name);
  });

  it('links each call panel to a search the app reads back whole, for every label value', () => {
    const links = panels.flatMap((p) => p.fieldConfig.defaults.links ?? []);
    expect(links.length).toBeGreaterThanOrEqual(6);
    for (const l of links) {
      expect(l.url.startsWith('${hepflow_url}/?range=custom&from=')).toBe(true);
      for (const q of expand(l.url)) expect(sorted(roundTrip(q)), l.url).toEqual(sorted(q));
    }
  });
});

describe('docs/prometheus alert links', () => {
  it('open a search the app reads back whole', () => {
    const rules = readFileSync(DOCS + 'prometheus/hepflow-alerts.yml', 'utf8');
    const links = [...rules.matchAll(/hepflow: "\{\{ \$externalLabels\.hepflow_url \}\}\/\?([^"]*)"/g)].map((m) => new URLSearchParams(m[1]));
    expect(links).toHaveLength(3);
    for (const q of links) expect(sorted(roundTrip(q))).toEqual(sorted(q));
  });
});
