/**
 * Limits the browser must survive, on a server of their own (real CLI, real HEP over TCP):
 * the longest Call-ID a HEP3 packet can carry opens as a flow, and a message of megabytes shows
 * its start in a virtualized pane with a truncation marker and a download of the whole.
 */
import { expect, test } from '@playwright/test';
import { encodeHep3 } from '../server/hep/encode.ts';
import { type RunningHepflow, sendHepTcp, startHepflow, waitForGroup } from './support/server.ts';

const T = 1_741_944_600;

/** An OPTIONS naming its Call-ID once, so the packet grows by one byte per character. */
const options = (callId: string) => Buffer.from([
  'OPTIONS sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-long',
  'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`,
  'CSeq: 1 OPTIONS', 'Content-Length: 0', '', '',
].join('\r\n'));
const hep = (payload: Buffer, usec: number, compress?: 'gzip') => encodeHep3({
  ipProtocol: 6, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060, tsSec: T, tsUsec: usec, protoType: 1, payload, compress,
});

/** The longest Call-ID whose message fits one HEP3 packet (u16 length: 65535 bytes). */
const LONGEST = 'L'.repeat(65535 - hep(options('x'), 0).length + 1);
/** A ~2 MB INVITE of hostile text, sent compressed (chunk 0x0010) as OpenSIPS does. */
const HUGE_ID = 'huge-message@e2e';
const HUGE = (() => {
  // Lines alike, so that 2 MB compress into one HEP packet.
  const body = 'a=x <img src=x onerror=alert(1)> é大😀 0123456789abcdef\r\n'.repeat(32_000);
  return Buffer.from([
    'INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-huge',
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${HUGE_ID}`, 'CSeq: 1 INVITE',
    'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n'));
})();

let server: RunningHepflow;

test.beforeAll(async () => {
  // The collector's own cap on expanded payloads is raised so that a message of megabytes is stored.
  process.env.HEPFLOW_MAX_DECOMPRESSED_BYTES = String(8 << 20);
  try {
    server = await startHepflow();
  } finally {
    delete process.env.HEPFLOW_MAX_DECOMPRESSED_BYTES;
  }
  const packets = [hep(options(LONGEST), 1), hep(HUGE, 2, 'gzip')];
  expect(packets[0]!.length).toBe(65535);
  await sendHepTcp(server.hepTcp.port, packets);
  await waitForGroup(server.http, LONGEST, 1, 30_000);
  await waitForGroup(server.http, HUGE_ID, 1, 30_000);
});
test.afterAll(async () => {
  await server?.stop();
});

test('the longest Call-ID a HEP packet carries opens as a flow', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(LONGEST)}`);
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('message')).toHaveCount(1);
  await page.getByTestId('message').first().click({ force: true });
  await expect(page.getByTestId('raw-sip')).toContainText('OPTIONS sip:bob@example.com SIP/2.0');
});

test('a message of megabytes shows its start in a bounded number of DOM nodes, a marker and a download', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(HUGE_ID)}`);
  await expect(page.getByTestId('ladder')).toBeVisible();
  await page.locator('[data-testid="message"][data-label="INVITE"]').first().click({ force: true });
  const pane = page.getByTestId('message-detail');
  await expect(pane.getByTestId('raw-truncated')).toContainText(`Showing the first 256 KiB of ${(HUGE.length / 2 ** 20).toFixed(1)} MiB`);
  await expect(pane.getByTestId('raw-sip')).toContainText('INVITE sip:bob@example.com SIP/2.0');

  // Elements and text nodes in the pane, and the characters of raw text in the DOM: bounded,
  // where the whole 256 KiB in one <pre> would be ~260,000 characters.
  const nodes = () => pane.evaluate((el) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let n = 0;
    while (walk.nextNode()) n++;
    return n;
  });
  const rawChars = () => pane.getByTestId('raw-sip').evaluate((el) => el.textContent!.length);
  expect(await nodes()).toBeLessThan(400);
  expect(await rawChars()).toBeLessThan(10_000);
  // Scrolled to the end of the text: other rows, still a bounded number of nodes.
  await pane.getByTestId('raw-sip').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(pane.getByTestId('raw-sip')).toContainText('a=x <img src=x onerror=alert(1)>');
  await expect(pane.getByTestId('raw-sip')).not.toContainText('INVITE sip:bob@example.com');
  expect(await nodes()).toBeLessThan(400);
  expect(await rawChars()).toBeLessThan(10_000);
  console.log(`detail pane: ${await nodes()} nodes, ${await rawChars()} characters of raw text in the DOM`);
  expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);

  const download = page.waitForEvent('download');
  await pane.getByTestId('raw-download').click();
  const file = await (await download).path();
  expect((await import('node:fs')).readFileSync(file).equals(HUGE)).toBe(true);
});
