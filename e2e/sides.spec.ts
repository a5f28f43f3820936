/** The side control: caller/callee sides on a B2B and on the SBC → proxy → carrier chain. */
import { expect, test, type Page } from '@playwright/test';
import { arrows, openFlow } from './support/flow.ts';
import { scenario } from './support/state.ts';

/** Waits until every drawn arrow is on `side`: the ladder redraws after the URL changes. */
const onlySide = (page: Page, side: string) =>
  expect(page.locator(`[data-testid="message"]:not([data-side="${side}"])`)).toHaveCount(0);

test.use({ viewport: { width: 1440, height: 1400 } });

test('a B2B call is caller side on its inbound leg and callee side on its outbound leg', async ({ page }) => {
  const s = scenario('b2b');
  await openFlow(page, s.callIds[0]);
  await expect(page.getByTestId('message')).toHaveCount(s.messageCount);
  const all = await arrows(page);
  expect(all.map((a) => a.side)).toEqual(s.sides);
  for (const a of all) expect(a.side).toBe(a.callId === s.callIds[0] ? 'caller' : 'callee');

  await page.getByTestId('side-callee').click();
  await expect(page).toHaveURL(/side=callee/);
  await onlySide(page, 'callee');
  const callee = await arrows(page);
  expect(callee.length).toBe(s.sides.filter((x) => x === 'callee').length);
  expect(callee.every((a) => a.side === 'callee' && a.callId === s.callIds[1])).toBe(true);

  await page.getByTestId('side-caller').click();
  await onlySide(page, 'caller');
  const caller = await arrows(page);
  expect(caller.length).toBe(s.sides.filter((x) => x === 'caller').length);
  expect(caller.every((a) => a.callId === s.callIds[0])).toBe(true);
});

test('the SBC → proxy → carrier chain splits at the SBC, and at the proxy once it is the pivot', async ({ page }) => {
  const s = scenario('chain-partial');
  const SBC = '10.0.0.2:5060';
  const PROXY = '10.0.0.5:5060';
  const CARRIER = '203.0.113.50:5060';
  await openFlow(page, s.callIds[0]);
  await expect(page.getByTestId('message')).toHaveCount(s.messageCount);
  expect((await arrows(page)).map((a) => a.side)).toEqual(s.sides);
  await expect(page.locator(`[data-testid="endpoint"][data-endpoint="${SBC}"]`)).toHaveAttribute('data-pivot', 'true');

  await page.locator(`[data-testid="endpoint"][data-endpoint="${PROXY}"]`).getByTestId('make-pivot').click();
  await expect(page).toHaveURL(/pivot=10\.0\.0\.5/);
  await expect(page.locator(`[data-testid="endpoint"][data-endpoint="${PROXY}"]`)).toHaveAttribute('data-pivot', 'true');
  const touchesCarrier = (a: { src: string; dst: string }) => a.src === CARRIER || a.dst === CARRIER;
  // Polled: the arrows take their new sides as the ladder redraws.
  await expect.poll(async () => (await arrows(page)).filter((a) => a.side !== (touchesCarrier(a) ? 'callee' : 'caller'))).toEqual([]);

  await page.getByTestId('side-callee').click();
  await onlySide(page, 'callee');
  const callee = await arrows(page);
  expect(callee.length).toBeGreaterThan(0);
  expect(callee.every(touchesCarrier)).toBe(true);
});
