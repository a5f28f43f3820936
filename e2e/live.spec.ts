/**
 * Live views against a server of their own (fresh SQLite file, real HEP over TCP): a flow of a
 * call in progress draws new arrows without a reload, a leg that joins later (the transfer's)
 * appears in it, the search list shows a new call (in place, counted while scrolled away; under
 * filters, through a stream opened with them; two windows on one search share one answer), and
 * after the server restarts the open flow reconnects and goes on.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario, layoutScenarios } from '../server/scenarios/index.ts';
import { encodeHep3 } from '../server/hep/encode.ts';
import type { HepEncodeInput } from '../server/hep/types.ts';
import { sendHepTcp, startHepflow, type RunningHepflow } from './support/server.ts';
import { benchCallId, benchPacket, MESSAGES_PER_CALL } from '../bench/traffic.ts';
import { metric } from '../server/testing/harness.ts';
import { LIVE_EVENT_HEADER } from '../server/api/schemas.ts';

/** The scenario and its packets, laid out to start now, so that "Last 24 hours" (the default range) shows it. */
function laidOut(name: string, startMicros: number) {
  const s = findScenario(name);
  if (!s) throw new Error(`no scenario ${name}`);
  return layoutScenarios([s], startMicros)[0];
}

const callIdOf = (p: HepEncodeInput) => /\r\nCall-ID: *([^\r\n]+)/i.exec(String(p.payload))?.[1] ?? '';

let dir: string;
let server: RunningHepflow;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-live-'));
  server = await startHepflow(['--store', join(dir, 'live.db')]);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const send = (packets: readonly HepEncodeInput[]) => sendHepTcp(server.hepTcp.port, packets.map(encodeHep3));
const rows = (page: Page) => page.getByTestId('ladder').getAttribute('data-rows').then(Number);

test('an open flow of a call in progress draws new arrows and a transfer leg that joins later, without a reload', async ({ page }) => {
  test.setTimeout(90_000);
  const { run } = laidOut('attended-transfer-opensips', (Date.now() - 60_000) * 1000);
  const first = callIdOf(run.packets[0]);
  const leg1 = run.packets.filter((p) => callIdOf(p) === first);
  // The call's set-up only: INVITE and the first answers of leg 1.
  await send(leg1.slice(0, 3));
  await page.goto(`${server.http}/flow/${encodeURIComponent(first)}`);
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('in-progress')).toBeVisible();
  const before = await rows(page);
  expect(before).toBeGreaterThan(0);
  // A mark on the page: a reload would lose it.
  await page.evaluate(() => { (window as unknown as { liveMark: number }).liveMark = 1; });

  // More of leg 1 (still before the transfer): the arrows appear.
  const idx = run.packets.indexOf(leg1[2]) + 1;
  const nextLeg1 = run.packets.slice(idx).filter((p) => callIdOf(p) === first).slice(0, 3);
  await send(nextLeg1);
  await expect.poll(() => rows(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('leg')).toHaveCount(1);

  // Everything else: the consultation call and the replacement leg join the open flow.
  const sent = new Set([...leg1.slice(0, 3), ...nextLeg1]);
  await send(run.packets.filter((p) => !sent.has(p)));
  await expect(page.getByTestId('leg')).toHaveCount(run.expected.groups[0].legs.length);
  await expect.poll(() => rows(page)).toBe(run.expected.messageCount);
  expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(1);
});

test('the search list shows a new call as it arrives, keeping the page', async ({ page }) => {
  await page.goto(`${server.http}/`);
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  // Count once the first answer is in: the stream can be live before the search has answered.
  await expect(page.getByTestId('result-count')).toHaveText(/^\d+ groups?(?!.*refreshing)/);
  const list = page.getByTestId('result-row');
  const count = await list.count();
  await page.evaluate(() => { (window as unknown as { liveMark: number }).liveMark = 2; });
  const { run } = laidOut('rejected-486', (Date.now() - 30_000) * 1000);
  const callId = callIdOf(run.packets[0]);
  await send(run.packets);
  await expect(page.locator(`[data-testid="result-row"][data-group-id="${callId}"]`)).toBeVisible();
  expect(await list.count()).toBe(count + 1);
  expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(2);
});

test('after the server restarts, the open flow reconnects and goes on', async ({ page }) => {
  test.setTimeout(90_000);
  const { run } = laidOut('basic-call', (Date.now() - 10_000) * 1000);
  const callId = callIdOf(run.packets[0]);
  await send(run.packets.slice(0, 2));
  await page.goto(`${server.http}/flow/${encodeURIComponent(callId)}`);
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-status', 'live');
  await expect.poll(() => rows(page)).toBeGreaterThan(0);
  const before = await rows(page);
  await page.evaluate(() => { (window as unknown as { liveMark: number }).liveMark = 3; });

  // Same HTTP port and the same file, a new process.
  const port = new URL(server.http).port;
  await server.stop();
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-status', 'reconnecting');
  server = await startHepflow(['--store', join(dir, 'live.db'), '--http-port', port]);
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await send(run.packets.slice(2));
  await expect.poll(() => rows(page), { timeout: 30_000 }).toBe(run.expected.messageCount);
  expect(before).toBeLessThan(run.expected.messageCount);
  expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark)).toBe(3);
});

test('new calls above a list scrolled away leave the row read in place and are counted', async ({ page }) => {
  // 60 calls two minutes ago, so that the list is taller than the page.
  const old = (Date.now() - 120_000) * 1000;
  await sendHepTcp(server.hepTcp.port, Array.from({ length: 60 * MESSAGES_PER_CALL }, (_, i) => benchPacket(i, old)));
  await page.goto(`${server.http}/`);
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  await expect.poll(() => page.getByTestId('results').getAttribute('aria-rowcount').then(Number)).toBeGreaterThan(60);
  const table = page.getByTestId('results');
  await table.evaluate((el) => { el.scrollTop = 300; });
  const row = page.locator('[data-testid="result-row"][data-row="14"]');
  await row.focus();
  const id = await row.getAttribute('data-group-id');
  const y = (await row.boundingBox())!.y;

  // Three newer calls: they go on top, out of view.
  await sendHepTcp(server.hepTcp.port, Array.from({ length: 3 * MESSAGES_PER_CALL }, (_, i) => benchPacket(7000 + i, (Date.now() - 10_000) * 1000)));
  await expect(page.getByTestId('new-rows')).toHaveText('↑ 3 new');
  const focused = page.locator(':focus');
  await expect(focused).toHaveAttribute('data-group-id', id!);
  expect(Math.abs((await focused.boundingBox())!.y - y)).toBeLessThanOrEqual(1);

  await page.getByTestId('new-rows').click();
  await expect(page.getByTestId('new-rows')).toHaveCount(0);
  expect(await table.evaluate((el) => el.scrollTop)).toBe(0);
});

test('a filtered search list opens its stream with its filters, again when they change, and shows the matching new call', async ({ page }) => {
  // Bench call n is made by user 1 followed by n in 6 digits (bench/traffic.ts).
  const call = (n: number) => Array.from({ length: MESSAGES_PER_CALL }, (_, k) => benchPacket(n * MESSAGES_PER_CALL + k, (Date.now() - 10_000) * 1000));
  const streams: URL[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/api/v1/live' && u.searchParams.get('calls') === '1') streams.push(u);
  });
  await page.goto(`${server.http}/?user=1008000`);
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  expect(streams.map((u) => u.searchParams.get('user'))).toContain('1008000');
  await sendHepTcp(server.hepTcp.port, call(8000));
  await expect(page.getByTestId('result-row')).toHaveCount(1);

  await page.getByTestId('search-user').fill('1008001');
  await page.getByTestId('search-submit').click();
  await expect.poll(() => streams.at(-1)?.searchParams.get('user')).toBe('1008001');
  await expect(page.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  await sendHepTcp(server.hepTcp.port, call(8001));
  await expect(page.getByTestId('result-row')).toHaveCount(1);
  await expect(page.getByTestId('result-row')).toHaveAttribute('data-group-id', benchCallId(8001));
});

test('two windows on the same search refetch together and share one answer', async ({ context }) => {
  const call = (n: number) => Array.from({ length: MESSAGES_PER_CALL }, (_, k) => benchPacket(n * MESSAGES_PER_CALL + k, (Date.now() - 10_000) * 1000));
  const shared = async () => metric(await (await fetch(`${server.http}/metrics`)).text(), 'hepflow_live_search_pages_total{answer="shared"}');
  /** The live refetches of /calls: the range's start and the live event each names. */
  const refetches: { from: string | null; event: string }[] = [];
  const pages = [await context.newPage(), await context.newPage()];
  for (const p of pages) {
    p.on('request', (r) => {
      const u = new URL(r.url());
      const event = r.headers()[LIVE_EVENT_HEADER];
      if (u.pathname === '/api/v1/calls' && event) refetches.push({ from: u.searchParams.get('from'), event });
    });
    await p.goto(`${server.http}/`);
    await expect(p.getByTestId('live-toggle')).toHaveAttribute('data-status', 'live');
  }
  const before = await shared();
  // Both are told on the next whole second and refetch within it. One that falls in the next
  // second (a busy machine drawing the last answer) asks another range: send calls until one
  // is shared (nearly always the first).
  for (let n = 0; n < 5 && (await shared()) === before; n++) {
    await sendHepTcp(server.hepTcp.port, call(9000 + n));
    for (const p of pages) await expect(p.locator(`[data-testid="result-row"][data-group-id="${benchCallId(9000 + n)}"]`)).toBeVisible();
  }
  expect(await shared()).toBeGreaterThan(before);
  expect(refetches.length).toBeGreaterThanOrEqual(2);
  for (const r of refetches) {
    expect(r.event).toMatch(/^[0-9a-f]+-\d+$/);
    expect(Number(r.from) % 1_000_000).toBe(0); // relative ranges start on a whole second
  }
});
