import { describe, expect, it } from 'vitest';
import { canonicalName, headerValues, isToken, readHeaders, splitComma, splitHeaderValues } from './headers.ts';

describe('canonicalName', () => {
  it('lower-cases full names whatever their spelling', () => {
    expect(canonicalName('Call-ID')).toBe('call-id');
    expect(canonicalName('CALL-ID')).toBe('call-id');
    expect(canonicalName(' X-CID ')).toBe('x-cid');
  });

  it('expands every compact form to its full name in either case', () => {
    // compact form → full name (RFC 3261 §7.3.3 and later RFCs)
    const table: [string, string][] = [
      ['i', 'call-id'],
      ['f', 'from'],
      ['t', 'to'],
      ['v', 'via'],
      ['m', 'contact'],
      ['l', 'content-length'],
      ['c', 'content-type'],
      ['k', 'supported'],
      ['s', 'subject'],
      ['o', 'event'],
      ['x', 'session-expires'],
      ['r', 'refer-to'],
      ['b', 'referred-by'],
      ['e', 'content-encoding'],
      ['u', 'allow-events'],
      ['a', 'accept-contact'],
      ['j', 'reject-contact'],
      ['d', 'request-disposition'],
      ['y', 'identity'],
      ['n', 'identity-info'],
    ];
    for (const [compact, full] of table) {
      expect(canonicalName(compact)).toBe(full);
      expect(canonicalName(compact.toUpperCase())).toBe(full);
    }
  });

  it('keeps an unknown one-letter name as it is, lower-cased', () => {
    expect(canonicalName('Q')).toBe('q');
  });
});

describe('splitComma', () => {
  it('splits a Via line holding two values', () => {
    expect(splitComma('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1, SIP/2.0/TCP 192.0.2.2:5061;branch=z9hG4bK2')).toEqual([
      'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
      'SIP/2.0/TCP 192.0.2.2:5061;branch=z9hG4bK2',
    ]);
  });

  it('does not split at a comma inside a quoted display name', () => {
    expect(splitComma('"Liddell, Alice" <sip:alice@example.com>, <sip:bob@example.com>')).toEqual([
      '"Liddell, Alice" <sip:alice@example.com>',
      '<sip:bob@example.com>',
    ]);
  });

  it('does not split at a comma inside angle brackets', () => {
    expect(splitComma('<sip:a@example.com;x=1,2>;q=0.5, <sip:b@example.com>')).toEqual([
      '<sip:a@example.com;x=1,2>;q=0.5',
      '<sip:b@example.com>',
    ]);
  });

  it('honours backslash escapes so that an escaped quote does not end the quoted string', () => {
    expect(splitComma('"a \\", b" <sip:a@x>, <sip:b@y>')).toEqual(['"a \\", b" <sip:a@x>', '<sip:b@y>']);
  });

  it('drops empty pieces left by stray commas', () => {
    expect(splitComma(' , <sip:a@x>,, ')).toEqual(['<sip:a@x>']);
  });
});

describe('splitHeaderValues', () => {
  it('splits list headers but keeps single-value headers whole', () => {
    expect(splitHeaderValues('contact', '<sip:a@x>, <sip:b@y>')).toEqual(['<sip:a@x>', '<sip:b@y>']);
    // Authorization parameters and Date carry commas that are not value separators.
    expect(splitHeaderValues('authorization', 'Digest username="a", realm="x"')).toEqual(['Digest username="a", realm="x"']);
    expect(splitHeaderValues('date', 'Sat, 13 Nov 2010 23:29:00 GMT')).toEqual(['Sat, 13 Nov 2010 23:29:00 GMT']);
  });
});

describe('readHeaders', () => {
  it('reads CRLF lines up to the empty line and returns where the body starts', () => {
    const text = 'Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: abc\r\n\r\nbody';
    const problems = new Set<string>();
    const block = readHeaders(text, 0, problems);
    expect(block.headers).toEqual([
      { name: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
      { name: 'call-id', value: 'abc' },
    ]);
    expect(text.slice(block.bodyStart!)).toBe('body');
    expect([...problems]).toEqual([]);
  });

  it('accepts bare LF and mixed line endings', () => {
    const text = 'i: abc\nf: <sip:a@x>;tag=1\r\nt: <sip:b@y>\n\nv=0\r\n';
    const block = readHeaders(text, 0, new Set());
    expect(block.headers.map((h) => h.name)).toEqual(['call-id', 'from', 'to']);
    expect(text.slice(block.bodyStart!)).toBe('v=0\r\n');
  });

  it('undoes folding: continuation lines join the previous value with one space', () => {
    const text = 'Subject: I know you are there,\r\n   pick up the phone\r\n\tand talk to me!\r\nTo: <sip:b@y>\r\n\r\n';
    const block = readHeaders(text, 0, new Set());
    expect(block.headers[0]).toEqual({ name: 'subject', value: 'I know you are there, pick up the phone and talk to me!' });
    expect(block.headers[1]).toEqual({ name: 'to', value: '<sip:b@y>' });
  });

  it('keeps repeated headers as separate entries in message order', () => {
    const text = 'Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nRoute: <sip:r1;lr>\r\nv: SIP/2.0/UDP b;branch=z9hG4bK2\r\n\r\n';
    const block = readHeaders(text, 0, new Set());
    expect(headerValues(block.headers, 'VIA')).toEqual(['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/UDP b;branch=z9hG4bK2']);
  });

  it('reports a line without a colon and goes on reading', () => {
    const problems = new Set<string>();
    const block = readHeaders('Call-ID: abc\r\ngarbage line\r\nCSeq: 1 INVITE\r\n\r\n', 0, problems);
    expect(block.headers.map((h) => h.name)).toEqual(['call-id', 'cseq']);
    expect([...problems]).toEqual(['bad-header-line']);
  });

  it('reports a header name that is not a token but keeps the header', () => {
    const problems = new Set<string>();
    const block = readHeaders('Bad Name: x\r\n\r\n', 0, problems);
    expect(block.headers).toEqual([{ name: 'bad name', value: 'x' }]);
    expect([...problems]).toEqual(['bad-header-name']);
  });

  it('returns a null body start when no empty line ends the headers', () => {
    const block = readHeaders('Call-ID: abc\r\nCSeq: 1 BYE', 0, new Set());
    expect(block.bodyStart).toBeNull();
    expect(block.headers).toHaveLength(2);
  });

  it('allows white space before the colon (RFC 3261 HCOLON)', () => {
    const block = readHeaders('Call-ID \t: abc\r\n\r\n', 0, new Set());
    expect(block.headers).toEqual([{ name: 'call-id', value: 'abc' }]);
  });
});

describe('isToken', () => {
  it('accepts method names and rejects separators and non-ASCII', () => {
    expect(isToken('INVITE')).toBe(true);
    expect(isToken('X-Custom_1.a')).toBe(true);
    expect(isToken('')).toBe(false);
    expect(isToken('IN VITE')).toBe(false);
    expect(isToken('Call-ID:')).toBe(false);
    expect(isToken('INVITÉ')).toBe(false);
  });
});
