/**
 * An inferred link on a server of its own (real CLI with `--inferred-box SBC`, real HEP over TCP):
 * the legend marks the B-leg "inferred" with its evidence, Unlink takes it and its messages off
 * the ladder, and the share link keeps the choice.
 *
 *   A 10.0.1.10 ──INVITE, ACK──▶ SBC 10.0.0.5 ──INVITE, ACK──▶ B 10.0.1.20   (B-leg 250 ms later)
 *                ◀──100, 200───                ◀──200────────
 */
import { expect, test } from '@playwright/test';
import { encodeHep3 } from '../server/hep/encode.ts';
import { type RunningHepflow, sendHepTcp, startHepflow, waitForGroup } from './support/server.ts';

const T = 1_741_944_600; // 2025-03-14 09:30 UTC, s
const A = '10.0.1.10';
const SBC = '10.0.0.5';
const B = '10.0.1.20';
const A_LEG = 'inferred-a@e2e';
const B_LEG = 'inferred-b@e2e';

function sip(first: string, callId: string, from: string, to: string, caller: string, cseq: string, toTag: string | null): Buffer {
  return Buffer.from([
    first, `Via: SIP/2.0/TCP ${from}:5060;branch=z9hG4bK-${callId}-${cseq.replace(' ', '')}`,
    `From: <sip:${caller}@${from}>;tag=f1`, `To: <sip:4940555@${to}>${toTag ? `;tag=${toTag}` : ''}`, `Call-ID: ${callId}`,
    `CSeq: ${cseq}`, `Contact: <sip:${caller}@${from}:5060>`, 'Content-Length: 0', '', '',
  ].join('\r\n'));
}
const hep = (payload: Buffer, src: string, dst: string, ms: number) => encodeHep3({
  ipProtocol: 6, srcIp: src, dstIp: dst, srcPort: 5060, dstPort: 5060, tsSec: T + Math.floor(ms / 1000), tsUsec: (ms % 1000) * 1000,
  protoType: 1, payload,
});

/** 4 messages on the A-leg, 3 on the B-leg. */
const PACKETS = [
  hep(sip(`INVITE sip:4940555@${SBC} SIP/2.0`, A_LEG, A, SBC, '+4930123456', '1 INVITE', null), A, SBC, 0),
  hep(sip('SIP/2.0 100 Trying', A_LEG, A, SBC, '+4930123456', '1 INVITE', null), SBC, A, 5),
  hep(sip(`INVITE sip:4940555@${B} SIP/2.0`, B_LEG, SBC, B, '004930123456', '1 INVITE', null), SBC, B, 250),
  hep(sip('SIP/2.0 200 OK', B_LEG, SBC, B, '004930123456', '1 INVITE', 'b1'), B, SBC, 900),
  hep(sip('SIP/2.0 200 OK', A_LEG, A, SBC, '+4930123456', '1 INVITE', 's1'), SBC, A, 910),
  hep(sip(`ACK sip:4940555@${SBC} SIP/2.0`, A_LEG, A, SBC, '+4930123456', '1 ACK', 's1'), A, SBC, 950),
  hep(sip(`ACK sip:4940555@${B} SIP/2.0`, B_LEG, SBC, B, '004930123456', '1 ACK', 'b1'), SBC, B, 960),
];

let server: RunningHepflow;

test.beforeAll(async () => {
  server = await startHepflow(['--alias', `${SBC}=SBC`, '--inferred-box', 'SBC']);
  await sendHepTcp(server.hepTcp.port, PACKETS);
  await waitForGroup(server.http, A_LEG, PACKETS.length, 30_000);
});
test.afterAll(async () => {
  await server?.stop();
});

test('an inferred leg is marked with its evidence, unlinks off the ladder, and the share link keeps it out', async ({ page }) => {
  await page.goto(`${server.http}/flow/${encodeURIComponent(A_LEG)}`);
  await expect(page.getByTestId('ladder')).toBeVisible();
  const legs = page.getByTestId('leg');
  await expect(legs).toHaveCount(2);
  await expect(page.getByTestId('message')).toHaveCount(7);
  const bLeg = legs.nth(1);
  await expect(bLeg).toHaveAttribute('data-call-id', B_LEG);
  await expect(bLeg.locator('.Legend--inferred')).toHaveText('inferred');
  await expect(bLeg.locator('.Legend--why')).toContainText('Inferred, no shared id: left SBC 250 ms after leg 1 reached it, same numbers 930123456 → 4940555');
  await expect(legs.nth(0).getByRole('button', { name: /Unlink/ })).toHaveCount(0); // certain legs cannot be unlinked

  await bLeg.getByRole('button', { name: 'Unlink leg 2' }).click();
  await expect(page).toHaveURL(/unlink=inferred-b%40e2e/);
  await expect(page.getByTestId('message')).toHaveCount(4);
  await expect(bLeg).toHaveAttribute('data-unlinked', 'true');
  expect(new Set(await page.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-call-id'))))).toEqual(new Set([A_LEG]));

  // A colleague opening the shared link sees the same ladder.
  await page.goto(page.url());
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByTestId('message')).toHaveCount(4);
  await page.getByTestId('leg').nth(1).getByRole('button', { name: 'Link again leg 2' }).click();
  await expect(page.getByTestId('message')).toHaveCount(7);
  await expect(page).not.toHaveURL(/unlink=/);
});
