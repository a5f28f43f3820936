/**
 * Scenario kinds against a server of their own (fresh SQLite file, real HEP over TCP): an
 * attended transfer and a basic call, named in the search list and on the flow page alike.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario, layoutScenarios } from '../server/scenarios/index.ts';
import { encodeHep3 } from '../server/hep/encode.ts';
import { sendHepTcp, startHepflow, waitForGroup, type RunningHepflow } from './support/server.ts';

let dir: string;
let server: RunningHepflow;
// Laid out to start ten minutes ago, so that "Last 24 hours" (the default range) shows them.
const laid = layoutScenarios(['attended-transfer-kamailio', 'basic-call'].map((n) => findScenario(n)!), (Date.now() - 600_000) * 1000);
const [transfer, basic] = laid.map((l) => l.run.expected);

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-scenario-'));
  server = await startHepflow(['--store', join(dir, 'scenario.db')]);
  await sendHepTcp(server.hepTcp.port, laid.flatMap((l) => l.run.packets.map(encodeHep3)));
  for (const e of [transfer, basic]) await waitForGroup(server.http, e.groups[0].callIds[0], e.messageCount);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the search list names each group\'s scenario, and the flow page names the same one', async ({ page }) => {
  await page.goto(server.http + '/');
  const row = (groupId: string) => page.locator(`[data-testid="result-row"][data-group-id="${groupId}"]`);
  const transferRow = row(transfer.groups[0].callIds[0]);
  const basicRow = row(basic.groups[0].callIds[0]);
  await expect(transferRow.getByTestId('result-scenario')).toHaveText('attended-transfer');
  await expect(basicRow.getByTestId('result-scenario')).toHaveText('basic');
  await expect(transferRow.getByTestId('result-scenario').locator('span')).toHaveAttribute('title', /^Attended transfer: a REFER with Replaces/);

  // Sorting by the column puts the kinds in order.
  await page.getByRole('button', { name: 'Scenario' }).click();
  await expect(page).toHaveURL(/sort=scenario/);
  await expect(page.getByTestId('result-scenario')).toHaveText(['attended-transfer', 'basic']);

  await transferRow.click();
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('flow-scenario')).toHaveText('Scenario: attended-transfer');
  await page.goBack();
  await basicRow.click();
  await expect(page.getByTestId('flow-scenario')).toHaveText('Scenario: basic');
});

test('the search filters by scenario kind, and the link keeps the filter', async ({ page }) => {
  await page.goto(server.http + '/');
  await expect(page.getByTestId('result-row')).toHaveCount(2);
  await page.getByTestId('search-scenario').selectOption('attended-transfer');
  await expect(page.getByTestId('search-scenario').locator('option[value="attended-transfer"]')).toHaveAttribute('title', /^Attended transfer/);
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(/scenario=attended-transfer/);
  await expect(page.getByTestId('result-scenario')).toHaveText(['attended-transfer']);
  await page.reload();
  await expect(page.getByTestId('search-scenario')).toHaveValue('attended-transfer');
  await expect(page.getByTestId('result-scenario')).toHaveText(['attended-transfer']);
  await page.getByTestId('search-scenario').selectOption('park');
  await page.getByTestId('search-submit').click();
  await expect(page.getByText('No calls match')).toBeVisible();
});
