/**
 * linksOf for values shared by legs rather than naming a Call-ID: RFC 7989 Session-ID, the IMS
 * icid-value, and the config file's correlationRules.
 */
import { describe, expect, it } from 'vitest';
import { parseSip } from '../sip/parse.ts';
import { linksOf } from './links.ts';
import type { CorrelationRule } from './user-rules.ts';

const A = 'ab30317f1a784dc48ff824d0d3715d86';
const B = '47755a9de7794ba387653f2099600ef2';
const NIL = '0'.repeat(32);

function sip(callId: string, extra: string[] = []): ReturnType<typeof parseSip> {
  return parseSip([
    'INVITE sip:carol@10.0.1.30:5060 SIP/2.0', 'Via: SIP/2.0/UDP 10.0.1.20:5060;branch=z9hG4bK776asdhds',
    'From: <sip:bob@example.com>;tag=1928301774', 'To: <sip:carol@example.com>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
    ...extra, 'Content-Length: 0', '', '',
  ].join('\r\n'), { correlationHeaders: [] });
}
const targets = (links: { rule: string; target: string }[]) => links.map((l) => `${l.rule}:${l.target}`);

describe('linksOf: Session-ID', () => {
  it('links each non-nil UUID as a shared id, so either side of a B2BUA (UUIDs swapped) joins the same ids', () => {
    const aSide = linksOf(sip('leg-a', [`Session-ID: ${A};remote=${B}`]), null, { correlationHeaders: [] });
    const bSide = linksOf(sip('leg-b', [`Session-ID: ${B};remote=${A}`]), null, { correlationHeaders: [] });
    expect(targets(aSide)).toEqual([`session-id:${A}`, `session-id:${B}`]);
    expect(targets(bSide).sort()).toEqual(targets(aSide).sort());
    expect(aSide[0]).toEqual({ target: A, rule: 'session-id', header: 'Session-ID', value: `${A};remote=${B}` });
  });

  it('links the one known UUID of an early message and of the older form, and nothing for nil UUIDs', () => {
    expect(targets(linksOf(sip('c', [`Session-ID: ${A};remote=${NIL}`]), null, { correlationHeaders: [] }))).toEqual([`session-id:${A}`]);
    expect(targets(linksOf(sip('c', [`Session-ID: ${B}`]), null, { correlationHeaders: [] }))).toEqual([`session-id:${B}`]);
    expect(linksOf(sip('c', [`Session-ID: ${NIL};remote=${NIL}`]), null, { correlationHeaders: [] })).toEqual([]);
  });
});

describe('linksOf: icid-value', () => {
  it('links the unquoted icid-value, the same for a quoted and a bare one', () => {
    const q = linksOf(sip('a', ['P-Charging-Vector: icid-value="Ay=01";orig-ioi=home1.net']), null, { correlationHeaders: [] });
    const bare = linksOf(sip('b', ['P-Charging-Vector: icid-value=Ay=01;icid-generated-at=192.0.2.8']), null, { correlationHeaders: [] });
    expect(q).toEqual([{ target: 'Ay=01', rule: 'icid', header: 'P-Charging-Vector', value: 'icid-value="Ay=01";orig-ioi=home1.net' }]);
    expect(targets(bare)).toEqual(targets(q));
  });
});

describe('linksOf: config rules', () => {
  const rules: CorrelationRule[] = [
    { name: 'hdap', header: 'x-hdap-traceid' },
    { name: 'core-id', callId: true, regex: '^(\\w+)-leg\\d$' },
    { name: 'strict', header: 'X-Trace', regex: '^trace=([0-9a-f]{8})$' },
  ];
  const opts = { correlationHeaders: [], correlationRules: rules };

  it('links the header value (any case, every line) under the rule name', () => {
    expect(linksOf(sip('c1', ['X-HDAP-TRACEID:  t-1 ', 'x-hdap-traceid: t-2']), null, opts)).toEqual([
      { target: 't-1', rule: 'user', header: 'hdap', value: 't-1' },
      { target: 't-2', rule: 'user', header: 'hdap', value: 't-2' },
    ]);
  });

  it('links capture group 1 of a Call-ID regex, and nothing when the regex does not match', () => {
    expect(linksOf(sip('core42-leg2'), null, opts)).toEqual([{ target: 'core42', rule: 'user', header: 'core-id', value: 'core42-leg2' }]);
    expect(linksOf(sip('core42-legA'), null, opts)).toEqual([]);
    expect(linksOf(sip('c1', ['X-Trace: trace=zz']), null, opts)).toEqual([]);
    expect(targets(linksOf(sip('c1', ['X-Trace: trace=0a1b2c3d']), null, opts))).toEqual(['user:0a1b2c3d']);
  });

  it('reads the Call-ID of a compact-form header (i:) like any other', () => {
    const text = ['INVITE sip:x@h SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 'f: <sip:a@h>;tag=1', 't: <sip:x@h>', 'i: core7-leg1', 'CSeq: 1 INVITE', '', ''].join('\r\n');
    expect(targets(linksOf(parseSip(text, { correlationHeaders: [] }), null, opts))).toEqual(['user:core7']);
  });
});

describe('linksOf: chains of A-leg headers', () => {
  it('links each hop to the previous hop only; the store joins A ← B ← C through B', () => {
    const opts = { correlationHeaders: ['X-CID'] };
    expect(targets(linksOf(sip('B', ['X-CID: A']), null, opts))).toEqual(['header:A']);
    expect(targets(linksOf(sip('C', ['X-CID: B']), null, opts))).toEqual(['header:B']);
  });
});
