import { describe, expect, it } from 'vitest';
import { parseSip } from '../sip/parse.ts';
import { HEP_CORRELATION_HEADER, linksOf } from './links.ts';

const OPTS = { correlationHeaders: ['X-CID', 'X-Call-ID'] };

/** A request with the given Call-ID and extra header lines, as an OpenSIPS proxy would relay it. */
function sip(callId: string, extra: string[] = [], method = 'INVITE'): ReturnType<typeof parseSip> {
  const text = [
    `${method} sip:carol@10.0.1.30:5060 SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.1.20:5060;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'From: <sip:bob@example.com>;tag=1928301774',
    'To: <sip:carol@example.com>',
    `Call-ID: ${callId}`,
    `CSeq: 314159 ${method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return parseSip(text, OPTS);
}

describe('linksOf', () => {
  it('links a message to a HEP correlation id that differs from its Call-ID (rule 1)', () => {
    expect(linksOf(sip('c3@host'), 'c1@host', OPTS)).toEqual([
      { target: 'c1@host', rule: 'hep-correlation-id', header: HEP_CORRELATION_HEADER, value: 'c1@host' },
    ]);
    expect(HEP_CORRELATION_HEADER).toBe('0x0011');
  });

  it('ignores a HEP correlation id equal to the Call-ID, as OpenSIPS sends by default', () => {
    expect(linksOf(sip('c1@host'), 'c1@host', OPTS)).toEqual([]);
  });

  it('links an INVITE with Replaces to the Call-ID it names, keeping the whole header value (rule 2)', () => {
    const v = 'c2@host;to-tag=7743;from-tag=6472';
    expect(linksOf(sip('c3@host', [`Replaces: ${v}`]), null, OPTS)).toEqual([{ target: 'c2@host', rule: 'replaces', header: 'Replaces', value: v }]);
  });

  it('links an INVITE with Join to the Call-ID it names (rule 2)', () => {
    const v = 'c2@host;to-tag=a;from-tag=b';
    expect(linksOf(sip('c4@host', [`Join: ${v}`]), null, OPTS)).toEqual([{ target: 'c2@host', rule: 'join', header: 'Join', value: v }]);
  });

  it('links a REFER whose Refer-To embeds Replaces to the consultation Call-ID (rule 3)', () => {
    const referTo = '<sip:carol@example.com?Replaces=c2%40host%3Bto-tag%3D7743%3Bfrom-tag%3D6472>';
    expect(linksOf(sip('c1@host', [`Refer-To: ${referTo}`], 'REFER'), null, OPTS)).toEqual([
      { target: 'c2@host', rule: 'refer-replaces', header: 'Refer-To', value: referTo },
    ]);
  });

  it('gives no link for a blind REFER (no Replaces): blind transfers are matched apart', () => {
    expect(linksOf(sip('c1@host', ['Refer-To: <sip:carol@example.com>'], 'REFER'), null, OPTS)).toEqual([]);
  });

  it('links through a configured A-leg header, matched in any case (rule 4)', () => {
    expect(linksOf(sip('b-leg@host', ['x-cid: a-leg@host']), null, OPTS)).toEqual([
      { target: 'a-leg@host', rule: 'header', header: 'X-CID', value: 'a-leg@host' },
    ]);
    expect(linksOf(sip('b-leg@host', ['X-Call-ID: a-leg@host']), null, OPTS)[0]).toMatchObject({ rule: 'header', header: 'X-Call-ID' });
  });

  it('ignores headers that are not configured', () => {
    expect(linksOf(sip('b-leg@host', ['X-Other: a-leg@host']), null, OPTS)).toEqual([]);
  });

  it('links a "_b2b-N" Call-ID to its base Call-ID (rule 5)', () => {
    expect(linksOf(sip('abc@10.0.0.1_b2b-1'), null, OPTS)).toEqual([
      { target: 'abc@10.0.0.1', rule: 'b2b-suffix', header: 'Call-ID', value: 'abc@10.0.0.1_b2b-1' },
    ]);
    expect(linksOf(sip('abc_b2b-12'), null, OPTS)[0].target).toBe('abc');
  });

  it('keeps every rule that holds, in rule order, without repeating a rule and target', () => {
    const links = linksOf(sip('a_b2b-1', ['Replaces: c2;to-tag=x;from-tag=y', 'X-CID: a', 'X-Call-ID: a']), 'a', OPTS);
    expect(links.map((l) => [l.rule, l.target])).toEqual([
      ['hep-correlation-id', 'a'], ['replaces', 'c2'], ['header', 'a'], ['b2b-suffix', 'a'],
    ]);
  });

  it('never links a message to its own Call-ID, and a message without a Call-ID to anything', () => {
    expect(linksOf(sip('self', ['X-CID: self', 'Replaces: self;to-tag=a;from-tag=b']), 'self', OPTS)).toEqual([]);
    expect(linksOf(parseSip('INVITE sip:x SIP/2.0\r\n\r\n', OPTS), 'corr', OPTS)).toEqual([]);
  });
});
