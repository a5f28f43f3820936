import { describe, expect, it } from 'vitest';
import { BUSY, RINGING, invite, makeMessage } from '../testing/sip-messages.ts';
import { parseSip, sipLabel } from './parse.ts';

const OPTS = { correlationHeaders: ['X-CID'] };

/** RINGING with one header line replaced (or removed when `line` is null). */
function ringingWith(name: string, line: string | null): string {
  const re = new RegExp(`^${name}: [^\\r]*\\r\\n`, 'm');
  return RINGING.replace(re, line === null ? '' : line + '\r\n');
}

describe('parseSip on malformed messages', () => {
  it('reports an empty input as an empty message', () => {
    const msg = parseSip('', OPTS);
    expect(msg.problems).toEqual(['empty-message']);
    expect(msg.headers).toEqual([]);
  });

  it('reports a garbage start line, reads no method from it, and still reads the headers', () => {
    const msg = parseSip(RINGING.replace('SIP/2.0 180 Ringing', 'HELLO THERE, WORLD'), OPTS);
    expect(msg.problems).toEqual(['bad-start-line']);
    expect(msg).toMatchObject({ kind: 'request', method: null, requestUri: null });
    expect(msg.callId).toBe('a84b4c76e66710@pc33.example.com');
    expect(msg.to?.tag).toBe('a6c85cf');
  });

  it('reads the first line as a header when the start line is missing', () => {
    const msg = parseSip(RINGING.slice(RINGING.indexOf('\r\n') + 2), OPTS);
    expect(msg.problems).toEqual(['bad-start-line']);
    expect(msg.viaBranch).toBe('z9hG4bK2d4790.1');
    expect(msg.headers.filter((h) => h.name === 'via')).toHaveLength(2);
    expect(sipLabel(msg)).toBe('(malformed)');
  });

  it('reports a response whose status code is not three digits', () => {
    const msg = parseSip(RINGING.replace('180 Ringing', '18O Ringing'), OPTS);
    expect(msg).toMatchObject({ kind: 'response', status: null, reason: 'Ringing' });
    expect(msg.problems).toEqual(['bad-start-line']);
  });

  it('reports a request line with a wrong version but keeps method and URI', () => {
    const msg = parseSip(invite().replace('SIP/2.0\r\n', 'SIP/3.0\r\n'), OPTS);
    expect(msg.problems).toEqual(['bad-start-line']);
    expect(msg.method).toBe('INVITE');
    expect(msg.requestUri?.user).toBe('bob');
  });

  it('reports a request URI without a scheme', () => {
    const msg = parseSip(invite().replace('INVITE sip:bob@203.0.113.5:5060;transport=udp', 'INVITE bob'), OPTS);
    expect(msg.problems).toEqual(['bad-request-uri']);
    expect(msg.requestUri).toBeNull();
  });

  it('names each missing mandatory header', () => {
    let text = RINGING;
    for (const name of ['Call-ID', 'CSeq', 'From', 'To', 'Via', 'Via']) text = text.replace(new RegExp(`^${name}: [^\\r]*\\r\\n`, 'm'), '');
    expect(parseSip(text, OPTS).problems).toEqual(['no-call-id', 'no-cseq', 'no-from', 'no-to', 'no-via']);
  });

  it('reports a CSeq that does not parse as bad rather than missing', () => {
    for (const bad of ['CSeq: abc INVITE', 'CSeq: 1', 'CSeq: 99999999999 INVITE', 'CSeq: 2147483648 INVITE']) {
      const msg = parseSip(ringingWith('CSeq', bad), OPTS);
      expect(msg.problems).toEqual(['bad-cseq']);
      expect(msg.cseq).toBeNull();
    }
  });

  it('reports a request whose CSeq method differs from the request method', () => {
    expect(parseSip(invite().replace('CSeq: 314159 INVITE', 'CSeq: 314159 BYE'), OPTS).problems).toEqual(['cseq-method-mismatch']);
  });

  it('keeps a body longer than Content-Length whole and reports the mismatch', () => {
    const text = invite({ opts: { contentLength: 10 } });
    const msg = parseSip(text, OPTS);
    expect(msg.problems).toEqual(['content-length-mismatch']);
    expect(msg.body).toBe(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(msg.sdp?.media).toHaveLength(1);
  });

  it('keeps a body shorter than Content-Length (truncated capture) and reports the mismatch', () => {
    const msg = parseSip(invite({ opts: { contentLength: 5000 } }), OPTS);
    expect(msg.problems).toEqual(['content-length-mismatch']);
    expect(msg.sdp?.connection).toBe('198.51.100.10');
  });

  it('reports a Content-Length that is not a number', () => {
    expect(parseSip(ringingWith('Content-Length', 'Content-Length: lots'), OPTS).problems).toEqual(['bad-content-length']);
  });

  it('reports control bytes in the header section', () => {
    const msg = parseSip(ringingWith('Server', 'Server: Evil\x00PBX'), OPTS);
    expect(msg.problems).toEqual(['binary-in-headers']);
    expect(msg.userAgent).toBe('Evil\x00PBX');
  });

  it('calls exactly the C0 controls but HT, DEL and U+FFFD binary, over every UTF-16 code unit', () => {
    const flagged: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c === 0x0a || c === 0x0d) continue; // line syntax: they would split the header
      const msg = parseSip(ringingWith('Server', `Server: a${String.fromCharCode(c)}b`), OPTS);
      if (msg.problems.includes('binary-in-headers')) flagged.push(c);
    }
    const expected = [...Array.from({ length: 0x20 }, (_, c) => c).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d), 0x7f, 0xfffd];
    expect(flagged).toEqual(expected);
  });

  it('does not call control bytes in the body binary-in-headers', () => {
    const msg = parseSip(
      makeMessage(
        'INFO sip:a@b SIP/2.0',
        ['Via: SIP/2.0/UDP h;branch=z9hG4bKi', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: info-1', 'CSeq: 3 INFO', 'Content-Type: application/octet-stream'],
        '\x00\x01\x02',
      ),
      OPTS,
    );
    expect(msg.problems).toEqual([]);
  });

  it('reads what it can of a message cut off inside its headers', () => {
    const cut = RINGING.slice(0, RINGING.indexOf('CSeq:') + 8);
    const msg = parseSip(cut, OPTS);
    expect(msg.problems).toEqual(['no-end-of-headers', 'bad-cseq']);
    expect(msg.callId).toBe('a84b4c76e66710@pc33.example.com');
    expect(msg.to?.tag).toBe('a6c85cf');
    expect(msg.body).toBe('');
  });

  it('reports a From whose URI does not parse but keeps its tag', () => {
    const msg = parseSip(ringingWith('From', 'From: Alice <alice-at-nowhere>;tag=1928301774'), OPTS);
    expect(msg.problems).toEqual(['bad-from']);
    expect(msg.from).toMatchObject({ display: 'Alice', tag: '1928301774', uri: { scheme: '', uri: 'alice-at-nowhere' } });
  });

  it('reports two different Call-IDs and keeps the first', () => {
    const msg = parseSip(ringingWith('Server', 'i: other-call'), OPTS);
    expect(msg.problems).toEqual(['repeated-call-id']);
    expect(msg.callId).toBe('a84b4c76e66710@pc33.example.com');
  });

  it('reports a body without Content-Type', () => {
    const msg = parseSip(invite().replace('Content-Type: application/sdp\r\n', ''), OPTS);
    expect(msg.problems).toEqual(['no-content-type']);
    expect(msg.sdp).toBeNull();
  });

  it('lists each kind of fault once however often it occurs', () => {
    const text = BUSY.replace('Server:', 'junk one\r\njunk two\r\nServer:');
    expect(parseSip(text, OPTS).problems).toEqual(['bad-header-line']);
  });

  it('does not throw when options are missing at run time', () => {
    const msg = parseSip(RINGING, undefined as unknown as { correlationHeaders: string[] });
    expect(msg.status).toBe(180);
    expect(msg.correlationHeaders).toEqual([]);
  });
});
