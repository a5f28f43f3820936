/** The search list: a correlation id search opens the attended transfer as one ladder; sorting; a custom range typed in a zone. */
import { expect, test } from '@playwright/test';
import { arrows, url } from './support/flow.ts';
import { scenario } from './support/state.ts';

// Tall enough for all 56 rows, so every arrow of the scenario is in the DOM at once.
test.use({ viewport: { width: 1440, height: 2000 } });

test('a correlation id search opens the transfer as one ladder with every leg', async ({ page }) => {
  const s = scenario('attended-transfer-opensips');
  // OpenSIPS forced the first call's Call-ID as HEP 0x0011 on the replacement leg.
  const correlationId = s.callIds[0];
  await page.goto(url('/?range=all'));
  await page.getByTestId('search-correlationId').fill(correlationId);
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(/correlationId=/);
  const rows = page.getByTestId('result-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('3'); // legs column
  await rows.first().focus();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/flow\//);
  const legs = page.getByTestId('leg');
  await expect(legs).toHaveCount(3);
  expect(await legs.evaluateAll((els) => els.map((e) => e.getAttribute('data-role')))).toEqual(s.roles);
  // The legend says why each later leg joined (server's sentences).
  await expect(legs.nth(1).locator('.Legend--why li')).not.toHaveCount(0);
  await expect(legs.nth(2).locator('.Legend--why li')).not.toHaveCount(0);

  await expect(page.getByTestId('message')).toHaveCount(s.messageCount);
  const drawn = await arrows(page);
  expect(drawn.map((a) => a.index)).toEqual([...Array(s.messageCount).keys()]);
  expect(new Set(drawn.map((a) => a.callId))).toEqual(new Set(s.callIds));
  expect(await page.getByTestId('endpoint').count()).toBeGreaterThanOrEqual(4); // Alice, proxy, Bob, Carol

  await page.screenshot({ path: 'test-results/ladder.png', fullPage: false });
});

test('results are sortable and their filters live in the URL', async ({ page }) => {
  await page.goto(url('/?range=all'));
  await expect(page.getByTestId('result-row').first()).toBeVisible();
  const counts = () => page.getByTestId('result-row').evaluateAll((els) => els.map((e) => Number(e.querySelector('.ResultsTable--messages')!.textContent)));
  // The URL changes first and the rows are re-rendered after it: wait for the order, not a snapshot.
  const ordered = (dir: 1 | -1) => async () => {
    const c = await counts();
    return c.length > 1 && c.every((v, i) => i === 0 || (v - c[i - 1]) * dir >= 0);
  };
  await page.getByRole('button', { name: /^Msgs/ }).click();
  await expect(page).toHaveURL(/sort=messages&dir=asc/);
  await expect.poll(ordered(1)).toBe(true);
  await page.getByRole('button', { name: /^Msgs/ }).click();
  await expect(page).not.toHaveURL(/dir=asc/);
  await expect.poll(ordered(-1)).toBe(true);
});

test.describe('in Berlin', () => {
  test.use({ timezoneId: 'Europe/Berlin' });

  test('a custom range typed in one zone keeps its instants in another, and is checked before it is searched', async ({ page }) => {
    await page.goto(url('/'));
    await page.getByTestId('search-range').selectOption('custom');
    await page.getByTestId('search-from').fill('2024-05-01T12:00:00.000');
    await page.getByTestId('search-to').fill('2024-05-01T11:00:00.000');
    await page.getByTestId('search-submit').click();
    await expect(page.getByRole('alert')).toHaveText('From is after To');
    await page.getByTestId('search-to').fill('2024-05-01T13:30:00.000');
    // The instants stay; their text follows the zone: 12:00 UTC is 14:00 in Berlin in May.
    await page.getByTestId('search-tz').selectOption('local');
    await expect(page.getByTestId('search-from')).toHaveValue(/^2024-05-01T14:00(:00(\.000)?)?$/);
    await page.getByTestId('search-submit').click();
    await expect(page).toHaveURL(/from=2024-05-01T12%3A00%3A00\.000000Z&to=2024-05-01T13%3A30%3A00\.000000Z&tz=local/);
    // The stats form takes a range the same way (the same fields).
    await page.goto(url('/stats'));
    await page.getByTestId('stats-range').selectOption('custom');
    await page.getByTestId('stats-from').fill('2024-05-01T12:00:00.000');
    await page.getByTestId('stats-to').fill('2024-05-01T11:00:00.000');
    await page.getByTestId('stats-submit').click();
    await expect(page.getByRole('alert')).toHaveText('From is after To');
  });
});
