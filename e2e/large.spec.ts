/** A 20,000-message group: only the rows in view are in the DOM, and scrolling reaches the end. */
import { expect, test } from '@playwright/test';
import { openFlow } from './support/flow.ts';
import { scenario } from './support/state.ts';

/** 900 px of viewport / 28 px rows + 2 × 8 overscan, with room to spare. */
const MAX_ROWS_IN_DOM = 80;

test('a 20,000-message group keeps a bounded number of rows in the DOM and scrolls to the end', async ({ page }) => {
  const s = scenario('large-20k');
  expect(s.messageCount).toBe(20_000);
  await openFlow(page, s.callIds[0]);
  const ladder = page.getByTestId('ladder');
  await expect(ladder).toHaveAttribute('data-rows', '20000');
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toBeVisible();
  expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);

  await ladder.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(page.locator('[data-testid="message"][data-index="19999"]')).toBeVisible();
  expect(await page.getByTestId('message').count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toHaveCount(0);

  // Keyboard: Home goes back to the first message.
  await ladder.focus();
  await page.keyboard.press('Home');
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toBeVisible();
});
