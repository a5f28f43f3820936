/** Message detail: click or keyboard, raw SIP, headers, SDP, capture points; compare two. */
import { expect, test } from '@playwright/test';
import { arrows, openFlow } from './support/flow.ts';
import { scenario } from './support/state.ts';

test('clicking an arrow shows its raw SIP, headers, SDP, time and capture points', async ({ page }) => {
  const s = scenario('chain-full');
  await openFlow(page, s.callIds[0]);
  const invite = page.locator('[data-testid="message"][data-label="INVITE"]').first();
  await invite.click({ force: true });
  const detail = page.getByTestId('message-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('raw-sip')).toContainText(/^INVITE sip:/);
  await expect(detail.getByText(/Headers \(\d+\)/)).toBeVisible();
  await expect(page.getByTestId('sdp')).toContainText('audio');
  await expect(detail).toContainText('Δ first');
  await expect(page).toHaveURL(/msg=/);

  // The SBC ↔ proxy hop was traced by both servers: drawn once, "seen at 2".
  const twice = page.locator('[data-testid="message"][data-src="10.0.0.2:5060"][data-dst="10.0.0.5:5060"]').first();
  await expect(twice).toContainText('seen at 2');
  await twice.click({ force: true });
  await expect(page.getByTestId('capture-points')).toContainText('2 capture points');

  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
});

test('j/k move the cursor, Enter opens, Space compares, Esc closes', async ({ page }) => {
  const s = scenario('chain-partial');
  await openFlow(page, s.callIds[0]);
  await page.getByTestId('ladder').focus();
  await page.keyboard.press('j'); // row 0
  await page.keyboard.press('j'); // row 1
  await page.keyboard.press('k'); // row 0
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('raw-sip')).toContainText(/^INVITE sip:/);
  const all = await arrows(page);
  expect(all[0].label).toBe('INVITE');

  await page.keyboard.press('j');
  await page.keyboard.press('j'); // row 2: the INVITE the SBC forwards
  await page.keyboard.press(' ');
  const compare = page.getByTestId('compare');
  await expect(compare).toBeVisible();
  await expect(page.getByTestId('compare-raw-1')).toContainText(/^INVITE sip:/);
  // The forwarded INVITE differs (Via, Max-Forwards, ...): some lines are highlighted on both sides.
  await expect(page.getByTestId('compare-raw-0').locator('[data-changed]')).not.toHaveCount(0);
  await expect(page.getByTestId('compare-raw-1').locator('[data-changed]')).not.toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(compare).toBeHidden();
});
