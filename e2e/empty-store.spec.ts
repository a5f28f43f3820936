/** The first page of a new install: with nothing stored it says how to send real traffic; with a call stored it does not. */
import { expect, test } from '@playwright/test';
import { encodeHep3 } from '../server/hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../server/hep/chunks.ts';
import { sendHepTcp, startHepflow, waitForGroup, type RunningHepflow } from './support/server.ts';

let server: RunningHepflow;
test.beforeAll(async () => { server = await startHepflow(); });
test.afterAll(async () => { await server?.stop(); });

test('an empty store shows how to send HEP; a stored call replaces that with the results', async ({ page }) => {
  await page.goto(`${server.http}/`);
  const help = page.getByTestId('empty-store');
  await expect(help).toBeVisible();
  await expect(help).toContainText('send HEP');
  await expect(help).toContainText('hepflow serve --demo');

  const sip = ['INVITE sip:bob@10.0.0.2 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-empty',
    'From: <sip:alice@10.0.0.1>;tag=1', 'To: <sip:bob@10.0.0.2>', 'Call-ID: first-call', 'CSeq: 1 INVITE',
    'Content-Length: 0', '', ''].join('\r\n');
  await sendHepTcp(server.hepTcp.port, [encodeHep3({ ipProtocol: IP_PROTOCOL.udp, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060,
    dstPort: 5060, tsSec: Math.floor(Date.now() / 1000) - 5, tsUsec: 0, protoType: PROTO_TYPE.sip, captureId: 1, payload: sip })]);
  await waitForGroup(server.http, 'first-call', 1);
  await page.reload();
  await expect(page.getByTestId('result-row')).toHaveCount(1);
  await expect(page.getByTestId('empty-store')).toHaveCount(0);
});
