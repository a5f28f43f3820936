/**
 * Call problems on the ladder, against a server of its own fed real HEP over TCP: the long-gap
 * scenario (a PBX silent for 6 s, the proxy retransmitting its INVITE) is marked on the message
 * each problem names, with its definition as hover text; the side panel's problem list selects
 * and shows that message, by mouse and by keyboard, and the link carries the selection.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ApiGroup } from '../server/api/types.ts';
import { encodeHep3 } from '../server/hep/encode.ts';
import { PROBLEM_CODES } from '../server/kpi/codes.ts';
import { findScenario, layoutScenarios } from '../server/scenarios/index.ts';
import { sendHepTcp, startHepflow, waitForGroup, type RunningHepflow } from './support/server.ts';

const { run } = layoutScenarios([findScenario('long-gap')!], (Date.now() - 120_000) * 1000)[0];
const callId = run.expected.groups[0].callIds[0];
/** [{ code: 'retransmissions', at: 'INVITE' }, { code: 'long-gap', at: '180 Ringing' }], as the scenario expects. */
const expected = run.expected.kpi!.legs[0].problems;

let server: RunningHepflow;
/** Problem code → the id of the message it names, as the API says. */
let messageOf: Map<string, string>;

test.beforeAll(async () => {
  server = await startHepflow();
  await sendHepTcp(server.hepTcp.port, run.packets.map(encodeHep3));
  await waitForGroup(server.http, callId, run.expected.messageCount);
  const group = (await (await fetch(`${server.http}/api/v1/groups/${encodeURIComponent(callId)}`)).json()) as ApiGroup;
  messageOf = new Map(group.legs[0].kpi.problems.map((p) => [p.code, p.messageId]));
});

test.afterAll(async () => {
  await server?.stop();
});

async function openFlow(page: Page, query = ''): Promise<void> {
  await page.goto(`${server.http}/flow/${encodeURIComponent(callId)}${query}`);
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-rows', String(run.expected.messageCount));
}

/** The `msg` parameters of the page's address: the selection the link shares. */
const selectedInUrl = (page: Page) => new URL(page.url()).searchParams.getAll('msg');

test('marks each problem on the row of its message, with the code\'s definition as hover text', async ({ page }) => {
  await openFlow(page);
  expect([...messageOf.keys()]).toEqual(expected.map((p) => p.code));
  const marks = page.getByTestId('problem-mark');
  await expect(marks).toHaveCount(expected.length);
  for (const { code, at } of expected) {
    const arrow = page.locator(`[data-testid="message"][data-problems~="${code}"]`);
    await expect(arrow).toHaveCount(1);
    await expect(arrow).toHaveAttribute('data-id', messageOf.get(code)!);
    await expect(arrow).toHaveAttribute('data-label', at);
    await expect(arrow).toHaveAttribute('aria-label', new RegExp(`problems: ${code}$`));
    const mark = arrow.getByTestId('problem-mark');
    await expect(mark).toContainText(`⚑${code}`);
    await expect(mark.locator('title')).toHaveText(`${code}: ${PROBLEM_CODES[code]}`);
  }
  // Rows of other messages carry no mark.
  await expect(page.locator('[data-testid="message"]:not([data-problems]) [data-testid="problem-mark"]')).toHaveCount(0);
});

test('a problem in the side list selects its message, shows its detail and puts it in the link', async ({ page, browser }) => {
  await openFlow(page);
  const items = page.getByTestId('problem');
  await expect(items).toHaveCount(expected.length);
  await expect(items.nth(0)).toContainText('retransmissions');
  await expect(items.nth(0)).toContainText('on INVITE');
  await expect(items.nth(1)).toContainText('long-gap');
  await expect(items.nth(1)).toContainText(PROBLEM_CODES['long-gap']);

  await items.nth(1).click();
  const gapId = messageOf.get('long-gap')!;
  await expect.poll(() => selectedInUrl(page)).toEqual([gapId]);
  const detail = page.getByTestId('message-detail');
  await expect(detail.getByRole('heading')).toHaveText('180 Ringing');
  await expect(detail.getByTestId('detail-problems')).toContainText(`long-gap: ${PROBLEM_CODES['long-gap']}`);
  await expect(page.locator(`[data-testid="message"][data-id="${gapId}"]`).locator('xpath=ancestor::div[contains(@class, "LadderRow")][1]')).toHaveClass(/is-selected/);
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'true');

  // The link alone reopens the same message and marks its problem as the current one.
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(page.url());
    await expect(other.getByTestId('message-detail').getByRole('heading')).toHaveText('180 Ringing');
    await expect(other.getByTestId('problem').nth(1)).toHaveAttribute('aria-current', 'true');
  } finally {
    await fresh.close();
  }
});

test('the problem list is reached with Tab and a problem opened with Enter', async ({ page }) => {
  await openFlow(page);
  await expect(page.getByTestId('message-detail')).toHaveCount(0);
  // Tab through the page until the focus is on the first problem (the toolbar and legend come first).
  let onProblem = false;
  for (let i = 0; i < 60 && !onProblem; i++) {
    await page.keyboard.press('Tab');
    onProblem = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'problem');
  }
  expect(onProblem, 'a problem button takes the focus').toBe(true);
  await expect(page.getByTestId('problem').nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => selectedInUrl(page)).toEqual([messageOf.get('retransmissions')!]);
  await expect(page.getByTestId('message-detail').getByRole('heading')).toHaveText('INVITE');
  await expect(page.getByTestId('message-detail').getByTestId('detail-problems')).toContainText('retransmissions');

  await page.keyboard.press('Tab');
  await expect(page.getByTestId('problem').nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => selectedInUrl(page)).toEqual([messageOf.get('long-gap')!]);
  await expect(page.getByTestId('message-detail').getByRole('heading')).toHaveText('180 Ringing');
});
