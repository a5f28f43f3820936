import { describe, expect, it } from 'vitest';
import { findSdp, mediaType, multipartParts, utf8Length } from './body.ts';
import { parseSip } from './parse.ts';

describe('utf8Length', () => {
  it('counts octets as UTF-8 writes them', () => {
    // text → octets: ASCII 1 each, ü 2, € 3, 👋 (surrogate pair) 4
    const table: [string, number][] = [
      ['', 0],
      ['v=0\r\n', 5],
      ['ü', 2],
      ['€', 3],
      ['👋', 4],
      ['Grüße 👋', 12],
    ];
    for (const [s] of table) expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
    for (const [s, n] of table) expect(utf8Length(s)).toBe(n);
  });
});

describe('mediaType', () => {
  it('lower-cases the type and drops parameters', () => {
    expect(mediaType(' Application/SDP ; charset=utf-8')).toBe('application/sdp');
  });
});

describe('multipartParts', () => {
  it('splits at delimiter lines, drops preamble and epilogue, and reads each part header', () => {
    const body = [
      'preamble to ignore',
      '--b1',
      'Content-Type: text/plain',
      '',
      'first',
      '--b1',
      '', // a part without headers: default type, content after the empty line
      'second',
      '--b1--',
      'epilogue to ignore',
    ].join('\r\n');
    expect(multipartParts(body, 'b1')).toEqual([
      { contentType: 'text/plain', content: 'first' },
      { contentType: null, content: 'second' },
    ]);
  });

  it('does not take a boundary string in the middle of a line for a delimiter', () => {
    const body = '--b1\nContent-Type: text/plain\n\nsee --b1 here\n--b1--\n';
    expect(multipartParts(body, 'b1')).toEqual([{ contentType: 'text/plain', content: 'see --b1 here' }]);
  });

  it('returns no parts without a boundary', () => {
    expect(multipartParts('--\r\n', '')).toEqual([]);
  });
});

describe('findSdp', () => {
  it('finds SDP inside a nested multipart body', () => {
    const inner = ['--in', 'Content-Type: application/sdp', '', 'v=0', 'm=audio 7000 RTP/AVP 0', '--in--', ''].join('\r\n');
    const outer = ['--out', 'Content-Type: multipart/alternative; boundary=in', '', inner, '--out--', ''].join('\r\n');
    expect(findSdp('multipart/mixed;boundary=out', outer)?.media[0].port).toBe(7000);
  });

  it('returns null for other content types and for a missing content type', () => {
    expect(findSdp('message/sipfrag', 'v=0\r\nm=audio 1 RTP/AVP 0\r\n')).toBeNull();
    expect(findSdp(null, 'v=0\r\nm=audio 1 RTP/AVP 0\r\n')).toBeNull();
  });

  it('skips an application/sdp part without SDP lines for a later one', () => {
    const body = ['--b', 'Content-Type: application/sdp', '', 'x=1', '--b', 'Content-Type: application/sdp', '', ' m=audio 9 RTP/AVP 0', '--b--', ''].join('\r\n');
    expect(findSdp('multipart/mixed; boundary="b"', body)?.media[0].port).toBe(9);
  });
});

describe('hasSdp, with and without parsing the SDP', () => {
  const message = (contentType: string, body: string) =>
    ['INVITE sip:b@h SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@h>;tag=1', 'To: <sip:b@h>', 'Call-ID: c1',
      'CSeq: 1 INVITE', `Content-Type: ${contentType}`, `Content-Length: ${utf8Length(body)}`, '', body].join('\r\n');
  const bodies: [string, string][] = [
    ['application/sdp', 'v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\n'],
    ['Application/SDP; charset=x', ' c=IN IP4 192.0.2.1\r\n'],
    ['application/sdp', 'a=sendonly\r\nb=AS:64\r\n'],
    ['application/sdp', 'v:0\r\nm\r\n'],
    ['message/sipfrag', 'v=0\r\n'],
    ['multipart/mixed;boundary=z', '--z\r\nContent-Type: application/sdp\r\n\r\nm=audio 1 RTP/AVP 0\r\n--z--\r\n'],
    ['multipart/mixed;boundary=z', '--z\r\nContent-Type: text/plain\r\n\r\nv=0\r\n--z--\r\n'],
  ];
  it('says there is SDP exactly when the parsed SDP is there, and parses it only when asked', () => {
    for (const [type, body] of bodies) {
      const full = parseSip(message(type, body), { correlationHeaders: [] });
      const lean = parseSip(message(type, body), { correlationHeaders: [], sdp: false });
      expect([type, body, full.hasSdp]).toEqual([type, body, full.sdp !== null]);
      expect([type, body, lean.hasSdp, lean.sdp]).toEqual([type, body, full.hasSdp, null]);
      expect(lean.problems).toEqual(full.problems);
    }
    expect(bodies.map(([t, b]) => parseSip(message(t, b), { correlationHeaders: [] }).hasSdp)).toEqual([true, true, false, false, false, true, false]);
  });
});
