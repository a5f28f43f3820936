import { describe, expect, it } from 'vitest';
import { headerParam, headerParams, parseDialogRef, parseNameAddr, parseParams, parseUri, percentDecode } from './uri.ts';

describe('parseUri', () => {
  it('reads user, host, port and parameters of a SIP URI', () => {
    expect(parseUri('sip:bob@203.0.113.5:5060;transport=UDP;lr')).toEqual({
      uri: 'sip:bob@203.0.113.5:5060;transport=UDP;lr',
      scheme: 'sip',
      user: 'bob',
      host: '203.0.113.5',
      port: 5060,
      params: { transport: 'UDP', lr: '' },
      headers: {},
    });
  });

  it('reads a SIPS URI without user or port', () => {
    const u = parseUri('SIPS:proxy.example.com');
    expect(u).toMatchObject({ scheme: 'sips', user: null, host: 'proxy.example.com', port: null });
  });

  it('drops the password from the user part', () => {
    expect(parseUri('sip:alice:secret@example.com')?.user).toBe('alice');
  });

  it('reads an IPv6 reference with and without a port', () => {
    expect(parseUri('sip:alice@[2001:db8::10]:5070;transport=tcp')).toMatchObject({
      host: '[2001:db8::10]',
      port: 5070,
      params: { transport: 'tcp' },
    });
    expect(parseUri('sip:[2001:db8::10]')).toMatchObject({ user: null, host: '[2001:db8::10]', port: null });
  });

  it('percent-decodes URI headers and canonicalises their names', () => {
    const u = parseUri('sip:bob@b.example?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2&Subject=hi%20there');
    expect(u?.headers).toEqual({ replaces: 'abc@host;to-tag=1;from-tag=2', subject: 'hi there' });
    expect(u?.params).toEqual({});
    expect(u?.host).toBe('b.example');
  });

  it('keeps URI parameters apart from URI headers', () => {
    const u = parseUri('sip:carol@c.example;transport=tcp?Replaces=x%40y');
    expect(u?.params).toEqual({ transport: 'tcp' });
    expect(u?.headers).toEqual({ replaces: 'x@y' });
  });

  it('reads a tel URI number and parameters', () => {
    expect(parseUri('tel:+1-201-555-0123;phone-context=example.com')).toMatchObject({
      scheme: 'tel',
      user: '+1-201-555-0123',
      host: null,
      params: { 'phone-context': 'example.com' },
    });
  });

  it('rejects a port above 65535 but keeps the host', () => {
    expect(parseUri('sip:a@h:70000')).toMatchObject({ host: 'h', port: null });
  });

  it('keeps other schemes with their scheme only', () => {
    expect(parseUri('urn:service:sos')).toMatchObject({ scheme: 'urn', uri: 'urn:service:sos', host: null });
  });

  it('returns null without a scheme or without a host', () => {
    expect(parseUri('bob@example.com')).toBeNull();
    expect(parseUri('sip:')).toBeNull();
    expect(parseUri('1sip:a@b')).toBeNull();
  });
});

describe('percentDecode', () => {
  it('leaves a broken escape as written instead of throwing', () => {
    expect(percentDecode('a%4')).toBe('a%4');
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%41%zz')).toBe('A%zz');
  });
});

describe('parseNameAddr', () => {
  it('reads a quoted display name, URI and tag', () => {
    expect(parseNameAddr('"Alice Liddell" <sip:alice@example.com>;tag=1928301774')).toEqual({
      display: 'Alice Liddell',
      uri: expect.objectContaining({ uri: 'sip:alice@example.com', user: 'alice', host: 'example.com' }),
      tag: '1928301774',
      params: { tag: '1928301774' },
    });
  });

  it('reads an unquoted display name', () => {
    const na = parseNameAddr('Bob Smith <sip:bob@example.com>');
    expect(na?.display).toBe('Bob Smith');
    expect(na?.tag).toBeNull();
  });

  it('treats every parameter of an addr-spec as a header parameter (RFC 3261 §20.10)', () => {
    const na = parseNameAddr('sip:bob@example.com;tag=a6c85cf;expires=60');
    expect(na?.uri.uri).toBe('sip:bob@example.com');
    expect(na?.uri.params).toEqual({});
    expect(na?.params).toEqual({ tag: 'a6c85cf', expires: '60' });
  });

  it('keeps URI parameters inside <> apart from header parameters', () => {
    const na = parseNameAddr('<sip:alice@198.51.100.10;transport=tcp>;expires=3600');
    expect(na?.uri.params).toEqual({ transport: 'tcp' });
    expect(na?.params).toEqual({ expires: '3600' });
  });

  it('keeps a hostile display name literally', () => {
    const na = parseNameAddr('"<script>alert(1)</script>" <sip:x@y>;tag=9');
    expect(na?.display).toBe('<script>alert(1)</script>');
    expect(na?.uri.user).toBe('x');
    expect(na?.tag).toBe('9');
  });

  it('undoes escapes in a quoted display name', () => {
    expect(parseNameAddr('"say \\"hi\\"" <sip:a@b>')?.display).toBe('say "hi"');
  });

  it('keeps a quoted parameter with ; and <> inside whole', () => {
    const na = parseNameAddr('<sip:a@b>;+sip.instance="<urn:uuid:1;2>";reg-id=1');
    expect(na?.params).toEqual({ '+sip.instance': '"<urn:uuid:1;2>"', 'reg-id': '1' });
  });

  it('marks an unparsable URI with an empty scheme and keeps the tag', () => {
    const na = parseNameAddr('<garbage>;tag=77');
    expect(na?.uri).toMatchObject({ scheme: '', uri: 'garbage' });
    expect(na?.tag).toBe('77');
  });

  it('returns null for an empty value', () => {
    expect(parseNameAddr('   ')).toBeNull();
  });
});

describe('parseDialogRef', () => {
  it('reads a Replaces value with both tags and early-only', () => {
    expect(parseDialogRef('425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only')).toEqual({
      callId: '425928@bobster.example.org',
      toTag: '7743',
      fromTag: '6472',
      earlyOnly: true,
    });
  });

  it('reads a Join value whose tags are absent as nulls', () => {
    expect(parseDialogRef('12adf2f34456gs5;from-tag=54321')).toEqual({
      callId: '12adf2f34456gs5',
      toTag: null,
      fromTag: '54321',
      earlyOnly: false,
    });
  });

  it('returns null without a Call-ID', () => {
    expect(parseDialogRef(';to-tag=1')).toBeNull();
  });
});

describe('parseParams and headerParams', () => {
  it('lower-cases names, keeps values and lets the first of two equal names win', () => {
    expect(parseParams(';Branch=z9hG4bK1;rport;branch=other')).toEqual({ branch: 'z9hG4bK1', rport: '' });
  });

  it('keeps a hostile __proto__ parameter as an own property without touching the prototype', () => {
    const p = parseParams(';__proto__=x;tag=1');
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__', 'tag']);
    expect(Object.getOwnPropertyDescriptor(p, '__proto__')?.value).toBe('x');
  });

  it('reads Via parameters after the sent-by', () => {
    expect(headerParams('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2d4790.1;rport')).toEqual({
      branch: 'z9hG4bK2d4790.1',
      rport: '',
    });
  });

  it('ignores a ; inside <> when finding header parameters', () => {
    expect(headerParams('<sip:a@b;lr>;q=0.7')).toEqual({ q: '0.7' });
  });

  it('headerParam answers one parameter as headerParams does', () => {
    const values = [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2d4790.1;rport',
      'SIP/2.0/UDP h ; RPORT ; Branch = z9hG4bK7 ;branch=second',
      'SIP/2.0/UDP h;branch',
      'SIP/2.0/UDP h;x="a;branch=quoted";branch=real',
      '<sip:a@b;branch=inside>;q=0.7',
      'SIP/2.0/UDP h',
      'SIP/2.0/UDP h;;=v;branch=',
    ];
    for (const v of values) {
      for (const name of ['branch', 'rport', 'q', 'x']) expect([v, name, headerParam(v, name)]).toEqual([v, name, headerParams(v)[name]]);
    }
    expect(headerParam(values[3], 'branch')).toBe('real');
  });
});
