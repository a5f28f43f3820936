/**
 * The whole story on one ladder: SIP, the SBC's logs, its REST lookup, the TLS connection's
 * events and RTCP of both legs, in Debian's Chromium against the real server. The spec starts
 * its own server and feeds it the "whole-story" scenario as real HEP over TCP.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeHep3 } from '../server/hep/encode.ts';
import { wholeStory } from '../server/scenarios/story.ts';
import { oneWayAudio } from '../server/scenarios/one-way.ts';
import { type RunningHepflow, sendHepTcp, startHepflow, waitForGroup } from './support/server.ts';

const START = Date.UTC(2025, 2, 14, 9, 30, 0) * 1000;
const run = wholeStory.build(START);
const [callA, callB] = run.expected.groups[0].callIds;
// Ten minutes later, beyond any matching window: a call of its own.
const oneWay = oneWayAudio.build(START + 600_000_000);
const oneWayCall = oneWay.expected.groups[0].callIds[0];
let server: RunningHepflow;

test.use({ viewport: { width: 1600, height: 1800 } });

test.beforeAll(async () => {
  server = await startHepflow(Object.entries(run.aliases).flatMap(([ip, name]) => ['--alias', `${ip}=${name}`]));
  await sendHepTcp(server.hepTcp.port, [...run.packets, ...oneWay.packets].map(encodeHep3));
  await waitForGroup(server.http, callA, run.expected.messageCount);
  await waitForGroup(server.http, oneWayCall, oneWay.expected.messageCount);
});
test.afterAll(() => server?.stop());

async function rows(page: Page): Promise<{ kind: string; callId: string; side: string; text: string }[]> {
  return page.getByTestId('message').evaluateAll((els) =>
    els
      .map((e) => ({ i: Number(e.getAttribute('data-index')), kind: e.getAttribute('data-kind') ?? '', callId: e.getAttribute('data-call-id') ?? '', side: e.getAttribute('data-side') ?? '', text: e.textContent ?? '' }))
      .sort((a, b) => a.i - b.i)
      .map(({ i: _, ...r }) => r),
  );
}

const count = (list: { kind: string }[], kind: string) => list.filter((r) => r.kind === kind).length;

test('logs, REST, transport events and RTCP are rows of the ladder, each with its kind', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(callA)}`);
  await expect(page.getByTestId('message')).toHaveCount(run.expected.messageCount);
  const all = await rows(page);
  expect(['sip', 'log', 'rest', 'transport', 'rtcp'].map((k) => count(all, k))).toEqual([13, 3, 2, 2, 24]);
  // A log note carries its level and text (as text, never markup); the REST reply its status line.
  expect(all.filter((r) => r.kind === 'log').map((r) => r.text)).toEqual([
    'INFO new call from alice to bob over TLS', 'NOTICE lookup: bob is at 10.0.2.20', 'WARNING B-leg RTCP: 8% loss from carrier side',
  ]);
  expect(all.filter((r) => r.kind === 'rest').map((r) => r.text)).toEqual(['GET /lookup?user=bob HTTP/1.1', 'HTTP/1.1 200 OK · 0.04 ms']);
  expect(all.filter((r) => r.kind === 'transport').map((r) => r.text)).toEqual([
    'TLS ACCEPTED SUCCESS: Connection accepted...', 'TLS CLOSED SUCCESS: Connection closed by peer',
  ]);
  const lossy = all.filter((r) => r.kind === 'rtcp' && r.callId === callB && r.text.includes('loss 7.8 %'));
  expect(lossy).toHaveLength(6);
});

test('hiding a kind is part of the share link', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(callA)}`);
  await expect(page.getByTestId('message')).toHaveCount(run.expected.messageCount);
  await page.getByTestId('kind-filter').locator('input[data-kind="rtcp"]').uncheck();
  await expect(page).toHaveURL(/hideKind=rtcp/);
  await expect(page.getByTestId('message')).toHaveCount(run.expected.messageCount - 24);
  // The link opens the same view elsewhere.
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByTestId('message')).toHaveCount(run.expected.messageCount - 24);
  await expect(other.getByTestId('kind-filter').locator('input[data-kind="rtcp"]')).not.toBeChecked();
  expect(count(await rows(other), 'rtcp')).toBe(0);
});

test('the callee side shows the B-leg and its RTCP only; the A-leg logs and TLS events stay on the caller side', async ({ page }) => {
  // Grouped by alias, the SBC's two ports are one column: the pivot between the legs.
  await page.goto(`${server.http}/flow/${encodeURIComponent(callA)}?group=alias&side=callee`);
  await expect(page.getByTestId('message')).toHaveCount(6 + 12);
  await expect(page.locator('[data-testid="message"]:not([data-side="callee"])')).toHaveCount(0);
  const callee = await rows(page);
  expect(callee.every((r) => r.callId === callB)).toBe(true);
  expect([count(callee, 'sip'), count(callee, 'rtcp'), count(callee, 'log'), count(callee, 'transport')]).toEqual([6, 12, 0, 0]);

  await page.goto(`${server.http}/flow/${encodeURIComponent(callA)}?group=alias&side=caller`);
  await expect(page.getByTestId('message')).toHaveCount(7 + 3 + 2 + 2 + 12);
  await expect(page.locator('[data-testid="message"]:not([data-side="caller"])')).toHaveCount(0);
  const caller = await rows(page);
  expect([count(caller, 'log'), count(caller, 'transport'), count(caller, 'rtcp')]).toEqual([3, 2, 12]);
});

test('the media panel sums up each leg: the B-leg stream to Bob lost packets and scores lower', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(callA)}`);
  const panel = page.getByTestId('media-panel');
  await expect(panel.getByTestId('media-stream')).toHaveCount(4);
  const toBob = panel.locator('[data-testid="media-stream"][data-leg="1"][data-direction="caller-to-callee"]');
  await expect(toBob).toContainText('6 reports · lost 120 · jitter 45 ms mean, 70 max');
  const mos = async (leg: number, dir: string) =>
    Number((await panel.locator(`[data-testid="media-stream"][data-leg="${leg}"][data-direction="${dir}"]`).getByTestId('media-mos').textContent())!.replace(/[^\d.]/g, ''));
  expect(await mos(1, 'caller-to-callee')).toBeLessThan((await mos(0, 'caller-to-callee')) - 0.5);
});

test('each media flag shows in the media panel and on the SDP or RTCP row that caused it', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(oneWayCall)}`);
  await expect(page.getByTestId('message')).toHaveCount(oneWay.expected.messageCount);
  const panel = page.getByTestId('media-panel');
  const flagsOf = (leg: number, dir: string) => panel.locator(`[data-testid="media-stream"][data-leg="${leg}"][data-direction="${dir}"]`);
  await expect(flagsOf(0, 'caller-to-callee')).toHaveAttribute('data-flags', 'private-sdp');
  await expect(flagsOf(0, 'callee-to-caller')).toHaveAttribute('data-flags', 'no-packets');
  await expect(flagsOf(0, 'callee-to-caller')).toContainText('6 reports, none with a reception block');
  await expect(flagsOf(1, 'caller-to-callee')).toHaveAttribute('data-flags', 'no-rtcp recvonly sendonly codec-mismatch');
  await expect(flagsOf(1, 'callee-to-caller')).toHaveAttribute('data-flags', 'codec-mismatch');
  await expect(flagsOf(0, 'callee-to-caller')).toContainText('no packets · on RTCP');
  await expect(flagsOf(1, 'caller-to-callee')).toContainText('codec not offered · on 200 OK');

  // Every flag a message shows is marked on that message's row, in words.
  const causes = await panel.getByTestId('media-flag').evaluateAll((els) =>
    els.map((e) => ({ flag: e.getAttribute('data-flag')!, id: e.getAttribute('data-message-id') })));
  expect(causes.map((c) => c.flag).sort()).toEqual(['codec-mismatch', 'codec-mismatch', 'no-packets', 'no-rtcp', 'private-sdp', 'recvonly', 'sendonly']);
  const words: Record<string, string> = { 'private-sdp': 'private SDP address', 'no-packets': 'no packets', recvonly: 'hold (recvonly)', sendonly: 'hold (sendonly)', 'codec-mismatch': 'codec not offered' };
  for (const { flag, id } of causes) {
    if (flag === 'no-rtcp') {
      expect(id).toBeNull();
      continue;
    }
    const row = page.locator(`[data-testid="message"][data-id="${id}"]`);
    await expect(row).toHaveAttribute('data-media-flags', new RegExp(`(^| )${flag}( |$)`));
    await expect(row.getByTestId('media-flag')).toContainText(words[flag]);
  }
  // The silent stream is marked on an RTCP row, the others on SIP rows; rows that caused nothing carry no mark.
  await expect(page.locator('[data-testid="message"][data-kind="rtcp"][data-media-flags="no-packets"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="message"][data-media-flags]')).toHaveCount(5);
});
