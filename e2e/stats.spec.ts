/**
 * The stats page against a server of its own (fresh SQLite file) fed real HEP from the scenario
 * library: the tiles read the figures of the calls sent, a click on the 'busy' bar opens the search
 * list of the busy calls over the same range, and the bars are reachable from the keyboard.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario, layoutScenarios } from '../server/scenarios/index.ts';
import { opensipsTracer, ScenarioBuilder } from '../server/scenarios/builder.ts';
import { Dialog } from '../server/scenarios/dialog.ts';
import { AGENT, node, office } from '../server/scenarios/nodes.ts';
import { encodeHep3 } from '../server/hep/encode.ts';
import type { HepEncodeInput } from '../server/hep/types.ts';
import { formatDuration } from '../web/src/model/time-format.ts';
import { sendHepTcp, startHepflow, type RunningHepflow } from './support/server.ts';

/** The carrier that refuses one call with a 503: a network failure, and the failing peer. */
const CARRIER = node('Carrier', '198.51.100.7', AGENT.carrier);

/** Alice → Main proxy → the carrier, ringing, then 503 from the carrier. */
function carrier503(base: number): HepEncodeInput[] {
  const { alice, proxy } = office();
  const b = new ScenarioBuilder(base, 503, [opensipsTracer(proxy, 1)]);
  const d = new Dialog(b, { callId: b.callId(alice), path: [alice, proxy, CARRIER], sides: ['caller', 'callee'], from: { user: 'alice' }, to: { user: 'bob' } });
  const inv = d.invite({ sdp: 'sendrecv' });
  b.wait(60);
  d.respond(inv, 180, 'Ringing');
  b.wait(1_500);
  d.respond(inv, 503, 'Service Unavailable');
  return b.sortedPackets();
}

let dir: string;
let server: RunningHepflow;
/** Answered 1, busy 1, cancelled 1, failed (503) 1: ASR 1/4, NER 3/4. */
const CALLS = 4;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-stats-'));
  server = await startHepflow(['--store', join(dir, 'stats.db'), '--alias', `${CARRIER.ip}=Carrier`]);
  // Within the last hour (the range opened below), a scenario gap apart so that none links to another.
  const laid = layoutScenarios(['basic-call', 'rejected-486', 'cancelled-487'].map((n) => findScenario(n)!), (Date.now() - 20 * 60_000) * 1000);
  const packets = [...laid.flatMap((l) => l.run.packets), ...carrier503((Date.now() - 5 * 60_000) * 1000)];
  await sendHepTcp(server.hepTcp.port, packets.map(encodeHep3));
  await expect.poll(async () => (await (await fetch(`${server.http}/api/v1/stats`)).json()).attempts, { timeout: 30_000 }).toBe(CALLS);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the tiles read the calls sent, and the busy bar opens the search list of the busy calls over the same range', async ({ page }) => {
  await page.goto(`${server.http}/`);
  await page.getByTestId('nav-stats').click();
  await expect(page).toHaveURL(/\/stats$/);
  await page.getByTestId('stats-range').selectOption('1h');
  await page.getByTestId('stats-submit').click();
  await expect(page).toHaveURL(/\/stats\?range=1h$/);

  await expect(page.getByTestId('tile-calls-value')).toHaveText(String(CALLS));
  await expect(page.getByTestId('tile-asr-value')).toHaveText('25.0 %');
  await expect(page.getByTestId('tile-ner-value')).toHaveText('75.0 %');
  // ACD and PDD as the search list's rows of the same calls give them.
  const rows = (await (await fetch(`${server.http}/api/v1/calls?limit=10`)).json()).items as { disposition: string; durationMs: number | null; pddMs: number }[];
  expect(rows).toHaveLength(CALLS);
  await expect(page.getByTestId('tile-acd-value')).toHaveText(formatDuration(rows.find((r) => r.disposition === 'answered')!.durationMs! * 1000));
  const pdds = rows.map((r) => r.pddMs).sort((a, b) => a - b);
  await expect(page.getByTestId('tile-pdd-p50-value')).toHaveText(formatDuration(pdds[1] * 1000)); // nearest rank ⌈0.5 × 4⌉ = 2nd
  await expect(page.getByTestId('tile-pdd-p95-value')).toHaveText(formatDuration(pdds[3] * 1000));
  await expect(page.getByTestId('stats-peers-bar')).toHaveText(/Carrier \(198\.51\.100\.7\)\s*1/);
  await expect(page.getByTestId('stats-codes-bar')).toHaveText(/503\s*1/);

  await page.getByTestId('stats-dispositions-bar').and(page.locator('[data-key="busy"]')).click();
  await expect(page).toHaveURL(/\/\?range=custom&from=[^&]+&to=[^&]+&disposition=busy$/);
  const results = page.getByTestId('result-row');
  await expect(results).toHaveCount(1);
  await expect(results.first().locator('.ResultsTable--disposition')).toHaveText('busy');
});

test('the bars are buttons reachable with Tab and opened with Enter', async ({ page }) => {
  await page.goto(`${server.http}/stats?range=1h`);
  const peer = page.getByTestId('stats-peers-bar');
  await expect(peer).toHaveAttribute('role', 'button');
  await page.getByTestId('stats-codes-bar').focus();
  await page.keyboard.press('Tab');
  await expect(peer).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/\?range=custom&from=[^&]+&to=[^&]+&ip=198\.51\.100\.7$/);
  await expect(page.getByTestId('result-row')).toHaveCount(1);

  // The calls-per-minute chart: one Tab stop, arrows move along it, Enter opens the bucket.
  await page.goto(`${server.http}/stats?range=1h`);
  const cols = page.getByTestId('stats-series-col');
  await expect(cols.first()).toBeVisible();
  const stop = page.locator('[data-testid="stats-series-col"][tabindex="0"]');
  expect(await stop.count()).toBe(1);
  await stop.focus();
  await page.keyboard.press('End');
  await expect(cols.last()).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(cols.nth((await cols.count()) - 2)).toBeFocused();
  // The calls sent ended 5 minutes ago at the latest: the last two minutes hold none, so theirs is an empty list.
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/\?range=custom&from=[^&]+&to=[^&]+$/);
  await expect(page.getByText('No calls match')).toBeVisible();
});
