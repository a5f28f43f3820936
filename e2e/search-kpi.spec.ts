/** The search list's KPI columns and filters: disposition, PDD and problems, all in the link. */
import { expect, test } from '@playwright/test';
import { url } from './support/flow.ts';

test('rows show disposition and PDD; disposition, min PDD and problem filters live in a link that reopens them', async ({ page, browser }) => {
  await page.goto(url('/?range=all'));
  const rows = page.getByTestId('result-row');
  await expect(rows.first()).toBeVisible();
  // The scenarios the e2e server holds are all answered calls, without problems.
  await expect(rows.first().locator('.ResultsTable--disposition')).toHaveText('answered');
  await expect(rows.first().locator('.ResultsTable--pddMs')).toHaveText(/^\d+ ms$|^\d+\.\d s$/);

  await page.getByTestId('search-disposition').selectOption('busy');
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(/disposition=busy/);
  await expect(page.getByText('No calls match')).toBeVisible();

  await page.getByTestId('search-disposition').selectOption('answered');
  await page.getByTestId('search-minPddMs').fill('1000');
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(/disposition=answered&minPddMs=1000/);
  await expect(rows.first()).toBeVisible();
  const pdds = await rows.locator('.ResultsTable--pddMs').allTextContents();
  expect(pdds.every((t) => /^\d+\.\d s$/.test(t) && parseFloat(t) >= 1)).toBe(true);

  await page.getByTestId('search-problems').locator('summary').click();
  await page.getByTestId('search-problem-retransmissions').check();
  await page.getByTestId('search-problem-long-gap').check();
  await expect(page.getByTestId('search-problem-long-gap').locator('..')).toHaveAttribute('title', /first response to a request came more than/);
  await page.getByTestId('search-submit').click();
  await expect(page).toHaveURL(/problem=retransmissions&problem=long-gap/);
  await expect(page.getByText('No calls match')).toBeVisible();

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(page.url());
    await expect(other.getByTestId('search-disposition')).toHaveValue('answered');
    await expect(other.getByTestId('search-minPddMs')).toHaveValue('1000');
    await expect(other.getByTestId('search-problems').locator('summary')).toHaveText('Problems: retransmissions, long-gap');
    await expect(other.getByText('No calls match')).toBeVisible();
  } finally {
    await fresh.close();
  }
});
