import { describe, expect, it } from 'vitest';
import { parseSip } from '../sip/parse.ts';
import type { NameAddr } from '../sip/types.ts';
import { BLIND_TRANSFER_WINDOW_MICROS, blindTransferLink, matchBlindTransfer, referRecordOf, type BlindInvite, type ReferCandidate } from './blind.ts';
import { T0 } from '../testing/correlate.ts';

/*
 * Bob (in call c1 with Alice) sends REFER to Alice: Refer-To carol. Alice then calls Carol.
 *   REFER   c1  From: bob  To: alice  Refer-To: sip:carol@example.com     at T0
 *   INVITE  c2  From: alice To: carol  R-URI carol  [Referred-By: bob]     at T0 + 2 s
 */
const refer = (o: Partial<ReferCandidate> = {}): ReferCandidate => ({
  callId: 'c1', ts: T0, targetUser: 'carol', targetUri: 'sip:carol@example.com', transfereeUser: 'alice', ...o,
});
const invite = (o: Partial<BlindInvite> = {}): BlindInvite => ({
  ts: T0 + 2_000_000, callId: 'c2', fromUser: 'alice', toUser: 'carol', ruriUser: 'carol', referredBy: null, ...o,
});
const by = (user: string): NameAddr => ({ display: null, uri: { uri: `sip:${user}@example.com`, scheme: 'sip', user, host: 'example.com', port: null, params: {}, headers: {} }, tag: null, params: {} });

describe('matchBlindTransfer', () => {
  it('matches a new call from the REFER recipient to the Refer-To target within the window', () => {
    const r = refer();
    expect(matchBlindTransfer(invite(), [r], BLIND_TRANSFER_WINDOW_MICROS)).toEqual({ refer: r });
  });

  it('matches on the To user when the proxy rewrote the Request-URI user', () => {
    expect(matchBlindTransfer(invite({ ruriUser: '1003' }), [refer()])).not.toBeNull();
  });

  it('matches a call from someone else when Referred-By names the referrer', () => {
    const r = refer({ referrerUser: 'bob' });
    expect(matchBlindTransfer(invite({ fromUser: 'pbx', referredBy: by('bob') }), [r])).toEqual({ refer: r });
    expect(matchBlindTransfer(invite({ fromUser: 'pbx', referredBy: by('mallory') }), [r])).toBeNull();
  });

  it('accepts any Referred-By when the referrer is not known', () => {
    expect(matchBlindTransfer(invite({ fromUser: 'pbx', referredBy: by('bob') }), [refer()])).not.toBeNull();
  });

  it('rejects a call to another target, from another party, before the REFER, or after the window', () => {
    expect(matchBlindTransfer(invite({ toUser: 'dave', ruriUser: 'dave' }), [refer()])).toBeNull();
    expect(matchBlindTransfer(invite({ fromUser: 'eve' }), [refer()])).toBeNull();
    expect(matchBlindTransfer(invite({ ts: T0 - 1 }), [refer()])).toBeNull();
    expect(matchBlindTransfer(invite({ ts: T0 + 30_000_001 }), [refer()], 30_000_000)).toBeNull();
    expect(matchBlindTransfer(invite({ ts: T0 + 30_000_000 }), [refer()], 30_000_000)).not.toBeNull();
  });

  it('never matches a REFER on the INVITE\'s own Call-ID', () => {
    expect(matchBlindTransfer(invite({ callId: 'c1' }), [refer()])).toBeNull();
  });

  it('picks the latest preceding REFER whatever the order of the list', () => {
    const older = refer({ callId: 'old', ts: T0 - 5_000_000 });
    const newer = refer({ callId: 'new', ts: T0 });
    expect(matchBlindTransfer(invite(), [newer, older])?.refer.callId).toBe('new');
    expect(matchBlindTransfer(invite(), [older, newer])?.refer.callId).toBe('new');
    const twin = refer({ callId: 'a-first' });
    expect(matchBlindTransfer(invite(), [newer, twin])?.refer.callId).toBe('a-first');
    expect(matchBlindTransfer(invite(), [twin, newer])?.refer.callId).toBe('a-first');
  });
});

describe('referRecordOf and blindTransferLink', () => {
  const text = (referTo: string): string => [
    'REFER sip:alice@10.0.1.10:5060 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.1.20:5060;branch=z9hG4bKx', 'From: <sip:bob@example.com>;tag=b1',
    'To: <sip:alice@example.com>;tag=a1', 'Call-ID: c1', 'CSeq: 2 REFER', `Refer-To: ${referTo}`, 'Content-Length: 0', '', ''].join('\r\n');

  it('records a blind REFER with its target, transferee and referrer', () => {
    expect(referRecordOf(parseSip(text('<sip:carol@example.com>'), { correlationHeaders: [] }), T0)).toEqual({
      callId: 'c1', ts: T0, targetUser: 'carol', targetUri: 'sip:carol@example.com', transfereeUser: 'alice', referrerUser: 'bob',
    });
  });

  it('records nothing for an attended REFER (Refer-To with Replaces)', () => {
    expect(referRecordOf(parseSip(text('<sip:carol@example.com?Replaces=c2%3Bto-tag%3Da%3Bfrom-tag%3Db>'), { correlationHeaders: [] }), T0)).toBeNull();
  });

  it('links the new call to the REFER\'s Call-ID, naming the Refer-To target', () => {
    expect(blindTransferLink(refer())).toEqual({ target: 'c1', rule: 'blind-transfer', header: 'Refer-To', value: 'sip:carol@example.com' });
  });
});
