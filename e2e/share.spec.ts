/** "Copy link" carries the whole view: a fresh browser context shows the same ladder. */
import { expect, test, type Page } from '@playwright/test';
import { arrows, endpoints, openFlow } from './support/flow.ts';
import { scenario } from './support/state.ts';

test.use({ viewport: { width: 1440, height: 2000 } });

async function snapshot(page: Page) {
  return {
    endpoints: await endpoints(page),
    arrows: (await arrows(page)).map((a) => `${a.index}:${a.side}`),
    timeMode: await page.getByTestId('time-mode').inputValue(),
    zone: await page.getByTestId('time-zone').inputValue(),
    pivot: await page.getByTestId('pivot-select').inputValue(),
    legs: await page.getByTestId('leg').evaluateAll((els) => els.map((e) => (e.querySelector('input') as HTMLInputElement).checked)),
    detail: await page.getByTestId('raw-sip').textContent(),
    firstTime: await page.locator('.LadderRow--time').first().textContent(),
  };
}

test('a copied link opens the same view in a new browser context', async ({ page, browser, context }) => {
  const s = scenario('attended-transfer-opensips');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFlow(page, s.callIds[0]);
  await expect(page.getByTestId('message').first()).toBeVisible();

  // Change every part of the view.
  await page.getByTestId('side-caller').click();
  await page.getByTestId('time-mode').selectOption('delta-prev');
  await page.getByTestId('time-zone').selectOption('local');
  // Not uncheck(): it reads the box right after the click, and the box follows the URL, which
  // React renders a moment later (a transition); on a busy machine that moment is not over yet.
  const leg = page.getByTestId('leg').nth(1).locator('input');
  await leg.click();
  await expect(leg).not.toBeChecked();
  const first = page.getByTestId('endpoint').first();
  await first.focus();
  await page.keyboard.press('Alt+ArrowRight'); // reorder by keyboard
  await page.getByTestId('message').nth(2).click({ force: true });
  await expect(page.getByTestId('raw-sip')).toBeVisible();
  const before = await snapshot(page);

  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-status')).not.toBeEmpty();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('side=caller');
  expect(link).toContain('time=delta-prev');
  expect(link).toContain('tz=local');
  expect(link).toContain('hideLeg=');
  expect(link).toContain('col=');
  expect(link).toContain('msg=');

  const fresh = await browser.newContext({ viewport: { width: 1440, height: 2000 } });
  try {
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(other.getByTestId('raw-sip')).toBeVisible();
    // Polled: the ladder may still be settling when the detail pane shows.
    await expect.poll(() => snapshot(other)).toEqual(before);
  } finally {
    await fresh.close();
  }
});

test('two view changes made before the page renders again both reach the link', async ({ page }) => {
  const s = scenario('attended-transfer-opensips');
  await openFlow(page, s.callIds[0]);
  await expect(page.getByTestId('message').first()).toBeVisible();
  // Both in one task, as a fast user or a slow machine may: the second is made before React has
  // rendered the first.
  await page.evaluate(() => {
    const choose = (testId: string, value: string) => {
      const select = document.querySelector(`[data-testid="${testId}"]`) as HTMLSelectElement;
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    };
    choose('time-mode', 'delta-prev');
    choose('time-zone', 'local');
  });
  await expect.poll(() => new URL(page.url()).searchParams.get('tz')).toBe('local');
  expect(new URL(page.url()).searchParams.get('time')).toBe('delta-prev');
  await expect(page.getByTestId('time-mode')).toHaveValue('delta-prev');
});
