/** SIP content is hostile input: markup in headers shows as text and runs nothing. */
import { expect, test } from '@playwright/test';
import { IMG_PAYLOAD, SCRIPT_PAYLOAD } from '../server/scenarios/index.ts';
import { openFlow, url } from './support/flow.ts';
import { scenario } from './support/state.ts';

test('markup in From, User-Agent and X-Note is shown literally and never runs', async ({ page }) => {
  const s = scenario('hostile');
  await page.goto(url(`/?range=all&callId=${encodeURIComponent(s.callIds[0])}`));
  await expect(page.getByTestId('result-row')).toHaveCount(1);

  await openFlow(page, s.callIds[0]);
  await page.locator('[data-testid="message"][data-label="INVITE"]').first().click({ force: true });
  const raw = page.getByTestId('raw-sip');
  await expect(raw).toContainText(SCRIPT_PAYLOAD);
  await expect(raw).toContainText(IMG_PAYLOAD);
  await page.getByText(/Headers \(\d+\)/).click();
  await expect(page.locator('.DetailPane--headers')).toContainText(SCRIPT_PAYLOAD);

  // Exports build SVG text from the same fields: download one and look inside.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-svg').click();
  const file = await (await download).path();
  const svg = (await import('node:fs')).readFileSync(file, 'utf8');
  expect(svg).not.toContain('<script');

  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('#root script').count()).toBe(0);
});
