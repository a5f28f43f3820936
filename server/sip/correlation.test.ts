import { describe, expect, it } from 'vitest';
import { diversion, historyInfo, icidValue, parseSessionId } from './correlation.ts';
import { parseSip } from './parse.ts';
import { makeMessage } from '../testing/sip-messages.ts';

const A = 'ab30317f1a784dc48ff824d0d3715d86';
const B = '47755a9de7794ba387653f2099600ef2';
const NIL = '0'.repeat(32);

/** An INVITE with the given extra header lines. */
function invite(...extra: string[]): string {
  return makeMessage('INVITE sip:bob@example.com SIP/2.0', [
    'Via: SIP/2.0/UDP 10.0.1.10:5060;branch=z9hG4bK776asdhds', 'From: <sip:alice@example.com>;tag=1928301774',
    'To: <sip:bob@example.com>', 'Call-ID: c1@10.0.1.10', 'CSeq: 1 INVITE', ...extra,
  ]);
}
const OPTS = { correlationHeaders: [] };

describe('parseSessionId (RFC 7989)', () => {
  it('reads the local and the remote UUID', () => {
    expect(parseSessionId(`${A};remote=${B}`)).toEqual({ local: A, remote: B });
  });

  it('treats the nil UUID as unknown, and gives null when both are nil', () => {
    expect(parseSessionId(`${A};remote=${NIL}`)).toEqual({ local: A, remote: null });
    expect(parseSessionId(`${NIL};remote=${B}`)).toEqual({ local: null, remote: B });
    expect(parseSessionId(`${NIL};remote=${NIL}`)).toBeNull();
  });

  it('accepts the older form without a remote parameter, white space, upper case and other parameters', () => {
    expect(parseSessionId(A)).toEqual({ local: A, remote: null });
    expect(parseSessionId(` ${A.toUpperCase()} ; remote = ${B} ;x=1`)).toEqual({ local: A, remote: B });
  });

  it('ignores values that are not 32 hex digits', () => {
    expect(parseSessionId('abc;remote=def')).toBeNull();
    expect(parseSessionId(`${A}0;remote=${B}`)).toEqual({ local: null, remote: B });
    expect(parseSessionId('')).toBeNull();
  });

  it('is read by parseSip from the first Session-ID header, in any case', () => {
    expect(parseSip(invite(`session-id: ${B};remote=${A}`, `Session-ID: ${A}`), OPTS).sessionId).toEqual({ local: B, remote: A });
    expect(parseSip(invite(), OPTS).sessionId).toBeNull();
  });
});

describe('icidValue (RFC 7315 P-Charging-Vector)', () => {
  it('reads the icid-value, quoted or bare, and ignores the other parameters', () => {
    expect(icidValue('icid-value="AyretyU0dm+6O2IrT5tAFrbHLso=023551024";orig-ioi=home1.net')).toBe('AyretyU0dm+6O2IrT5tAFrbHLso=023551024');
    expect(icidValue('icid-value=1234bc9876e;icid-generated-at=192.0.6.8;orig-ioi=home1.net;term-ioi=x')).toBe('1234bc9876e');
    expect(icidValue('ICID-Value = 1234bc9876e ; orig-ioi=a')).toBe('1234bc9876e');
  });

  it('gives null without an icid-value or with an empty one', () => {
    expect(icidValue('orig-ioi=home1.net')).toBeNull();
    expect(icidValue('icid-value=""')).toBeNull();
    expect(icidValue('')).toBeNull();
  });

  it('is read by parseSip from P-Charging-Vector in any case', () => {
    expect(parseSip(invite('p-charging-vector: icid-value="x1=y"'), OPTS).icid).toBe('x1=y');
    expect(parseSip(invite(), OPTS).icid).toBeNull();
  });
});

describe('historyInfo and diversion', () => {
  it('lists History-Info entries with their index across commas and repeated lines', () => {
    const sip = parseSip(invite(
      'History-Info: <sip:bob@example.com>;index=1, <sip:bob@10.0.1.20?Reason=SIP%3Bcause%3D480>;index=1.1',
      'History-Info: "Mobile" <sip:447700900123@carrier.example.net>;index=1.2;mp=1',
    ), OPTS);
    expect(historyInfo(sip.headers).map((e) => [e.uri.user, e.uri.host, e.index])).toEqual([
      ['bob', 'example.com', '1'], ['bob', '10.0.1.20', '1.1'], ['447700900123', 'carrier.example.net', '1.2'],
    ]);
  });

  it('lists Diversion entries, most recent first, with their counter, a comma inside a display name kept', () => {
    const sip = parseSip(invite('Diversion: "Bob, desk" <sip:bob@example.com>;reason=no-answer;counter=1, <tel:+15550100>;reason=user-busy'), OPTS);
    expect(diversion(sip.headers).map((e) => [e.header, e.uri.user, e.index])).toEqual([['Diversion', 'bob', '1'], ['Diversion', '+15550100', null]]);
  });

  it('skips entries whose URI does not parse and gives nothing without the header', () => {
    const sip = parseSip(invite('Diversion: garbage, <sip:carol@example.com>'), OPTS);
    expect(diversion(sip.headers).map((e) => e.uri.user)).toEqual(['carol']);
    expect(historyInfo(sip.headers)).toEqual([]);
  });
});
