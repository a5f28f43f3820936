/**
 * A 20,000-message group: its first page is drawn while the rest loads; only the rows in view are
 * in the DOM, and scrolling reaches the end.
 */
import { expect, test } from '@playwright/test';
import type { ApiGroup } from '../server/api/types.ts';
import { openFlow, url } from './support/flow.ts';
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

test('a large group shows its first page at once, and the whole group once it has loaded', async ({ page }) => {
  const s = scenario('large-20k');
  // Hold the whole group's answer (the request without ?limit) until the first page is checked.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route((u) => u.pathname.startsWith('/api/v1/groups/') && !u.searchParams.has('limit'), async (route) => {
    await held;
    await route.continue();
  });
  await openFlow(page, s.callIds[0]);
  const ladder = page.getByTestId('ladder');
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toBeVisible();
  await expect(ladder).toHaveAttribute('aria-busy', 'true');
  const firstPage = Number(await ladder.getAttribute('data-rows'));
  expect(firstPage).toBeGreaterThan(0);
  expect(firstPage).toBeLessThan(20_000);
  await expect(page.getByTestId('loading-rest')).toBeVisible();
  await expect(page.getByTestId('export-svg')).toBeDisabled();
  await expect(page.getByTestId('export-pcap')).toBeDisabled();

  release();
  await expect(ladder).toHaveAttribute('data-rows', '20000');
  await expect(ladder).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('loading-rest')).toHaveCount(0);
  await expect(page.getByTestId('export-svg')).toBeEnabled();
  await expect(page.getByTestId('export-pcap')).toHaveAttribute('href', /\/pcap/);
});

test('a link to a message past the first page opens on it once the whole group is in', async ({ page }) => {
  const s = scenario('large-20k');
  const res = await page.request.get(url(`/api/v1/groups/${encodeURIComponent(s.callIds[0])}`));
  const target = ((await res.json()) as ApiGroup).messages[15_000];
  await openFlow(page, s.callIds[0], `msg=${encodeURIComponent(target.id)}`);
  await expect(page.getByTestId('raw-sip')).toBeVisible();
  await expect(page.locator(`[data-testid="message"][data-id="${target.id}"]`)).toBeInViewport();
});
