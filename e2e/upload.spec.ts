/** Importing a capture file from the browser, then landing on the search filtered to it. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { url } from './support/flow.ts';
import { REPO } from './support/server.ts';
import { e2eState } from './support/state.ts';

const CAPTURE = resolve(REPO, '../shared/fixtures/public/sngrep-aaa.pcap');

test('a capture picked in the file dialog is imported and opens the search on its calls', async ({ page, request }) => {
  // A user's clone has no ../shared: skip there, but never under CI, where the file must be.
  test.skip(!existsSync(CAPTURE) && process.env.CI !== 'true', `skipped: no shared fixtures at ${CAPTURE}`);
  // The route is registered by server/api/app.ts; without it there is nothing to test yet.
  const probe = await request.post(`${e2eState().http}/api/v1/import`, { headers: { 'content-type': 'application/octet-stream' }, data: '' });
  test.skip(probe.status() === 404, 'the server has no POST /api/v1/import route');

  await page.goto(url('/'));
  await page.getByTestId('upload-input').setInputFiles(CAPTURE);
  await expect(page.getByTestId('upload-status')).toContainText('Imported', { timeout: 30_000 });
  await expect(page).toHaveURL(/range=(custom|all)/);
  await expect(page.getByTestId('result-row').first()).toBeVisible();
});
