import { describe, expect, it } from 'vitest';
import { findSdp, mediaType, multipartParts, utf8Length } from './body.ts';

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
});
