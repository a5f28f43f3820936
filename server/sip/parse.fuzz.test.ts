import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitComma } from './headers.ts';
import { BUSY, NOTIFY_SIPFRAG, REFER, RINGING, invite, makeMessage } from '../testing/sip-messages.ts';
import { parseSip } from './parse.ts';
import type { NameAddr, SipMessage, SipUri } from './types.ts';
import { parseUri } from './uri.ts';

const OPTS = { correlationHeaders: ['X-CID'] };
const VALID = [invite(), invite({ opts: { eol: '\n' } }), RINGING, BUSY, REFER, NOTIFY_SIPFRAG];

/** Characters that drive the parser's branches: separators, quotes, brackets, line syntax. */
const SIP_CHARS = [...'SIP/2.0 INVITE:;,<>"\\@=?%&[]\r\n\t abc123-.~'];
const sipish = fc.string({ unit: fc.constantFrom(...SIP_CHARS), maxLength: 300 });

function isStrOrNull(v: unknown): boolean {
  return v === null || typeof v === 'string';
}

function checkUri(u: SipUri): void {
  expect(typeof u.uri).toBe('string');
  expect(typeof u.scheme).toBe('string');
  expect(isStrOrNull(u.user) && isStrOrNull(u.host)).toBe(true);
  expect(u.port === null || (Number.isInteger(u.port) && u.port >= 0 && u.port <= 65535)).toBe(true);
  expect(typeof u.params).toBe('object');
  expect(typeof u.headers).toBe('object');
}

function checkNameAddr(na: NameAddr | null): void {
  if (na === null) return;
  expect(isStrOrNull(na.display) && isStrOrNull(na.tag)).toBe(true);
  checkUri(na.uri);
  expect(typeof na.params).toBe('object');
}

/** Asserts the full SipMessage shape: every field present with its type. */
function checkShape(m: SipMessage): void {
  expect(Object.keys(m).sort()).toEqual(
    [
      'kind', 'method', 'requestUri', 'status', 'reason', 'headers', 'callId', 'cseq', 'from', 'to', 'viaBranch',
      'viaHost', 'viaCount', 'contact', 'userAgent', 'contentType', 'replaces', 'join', 'referTo', 'referredBy', 'reasonHeader',
      'sessionId', 'icid', 'correlationHeaders', 'body', 'hasSdp', 'sdp', 'problems',
    ].sort(),
  );
  expect(['request', 'response']).toContain(m.kind);
  for (const k of ['method', 'reason', 'callId', 'viaBranch', 'viaHost', 'userAgent', 'contentType', 'reasonHeader', 'icid'] as const) {
    expect(isStrOrNull(m[k])).toBe(true);
  }
  expect(Number.isInteger(m.viaCount) && m.viaCount >= 0).toBe(true);
  expect(m.status === null || (m.status >= 100 && m.status <= 699)).toBe(true);
  if (m.requestUri) checkUri(m.requestUri);
  for (const na of [m.from, m.to, m.contact, m.referTo, m.referredBy]) checkNameAddr(na);
  expect(m.cseq === null || (Number.isInteger(m.cseq.num) && typeof m.cseq.method === 'string')).toBe(true);
  expect(m.headers.every((h) => typeof h.name === 'string' && typeof h.value === 'string')).toBe(true);
  expect(typeof m.body).toBe('string');
  expect(Array.isArray(m.correlationHeaders) && Array.isArray(m.problems)).toBe(true);
  expect(m.problems.every((p) => typeof p === 'string' && p !== '')).toBe(true);
  expect(new Set(m.problems).size).toBe(m.problems.length);
  expect(m.hasSdp).toBe(m.sdp !== null);
  // Session-ID UUIDs are 32 lower-case hex digits and never the nil UUID.
  for (const u of [m.sessionId?.local, m.sessionId?.remote]) expect(u == null || (/^[0-9a-f]{32}$/.test(u) && !/^0+$/.test(u))).toBe(true);
  if (m.sdp) expect(m.sdp.media.every((s) => Number.isInteger(s.port) && Array.isArray(s.formats))).toBe(true);
}

/** One edit of a valid message: what a bad network, a bad UA or an attacker might do. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: sipish }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 80 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('binary' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 20 }) }),
  fc.record({ op: fc.constant('lf' as const) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (text.length + 1) : 0;
  switch (m.op) {
    case 'insert':
    case 'binary':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'truncate':
      return text.slice(0, at);
    case 'lf':
      return text.replaceAll('\r\n', '\n');
  }
}

describe('parseSip under fuzzing', () => {
  it('never throws and returns the full shape for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), sipish), (text) => {
        checkShape(parseSip(text, OPTS));
      }),
      { numRuns: 600 },
    );
  });

  it('never throws and returns the full shape for mutated valid messages', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, edits) => {
        checkShape(parseSip(edits.reduce(mutate, base), OPTS));
      }),
      { numRuns: 800 },
    );
  });

  it('reads back the identifiers of generated well-formed messages, with CRLF or LF', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789-.!%*_+~'), minLength: 1, maxLength: 24 });
    fc.assert(
      fc.property(word, word, word, word, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (callId, fromTag, toTag, branch, num, lf) => {
        const text = makeMessage(
          'BYE sip:bob@203.0.113.5 SIP/2.0',
          [
            `Via: SIP/2.0/UDP 198.51.100.10;branch=z9hG4bK${branch}`,
            `From: <sip:alice@example.com>;tag=${fromTag}`,
            `To: <sip:bob@example.com>;tag=${toTag}`,
            `Call-ID: ${callId}`,
            `CSeq: ${num} BYE`,
          ],
          '',
          { eol: lf ? '\n' : '\r\n' },
        );
        const m = parseSip(text, OPTS);
        expect(m.problems).toEqual([]);
        expect(m).toMatchObject({ callId, cseq: { num, method: 'BYE' }, viaBranch: `z9hG4bK${branch}` });
        expect(m.from?.tag).toBe(fromTag);
        expect(m.to?.tag).toBe(toTag);
      }),
      { numRuns: 300 },
    );
  });
});

describe('comma splitting under fuzzing', () => {
  it('never splits at commas inside quoted display names or inside <>', () => {
    // Display text without quote or backslash; user text with commas to tempt the splitter.
    const display = fc.string({ unit: fc.constantFrom(...'ab ,;<>@'), maxLength: 12 });
    const uriPart = fc.string({ unit: fc.constantFrom(...'ab,;=@'), maxLength: 12 });
    const entry = fc.tuple(display, uriPart).map(([d, u]) => `"${d}" <sip:x@h;p=${u}>;q=0.5`);
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
        expect(splitComma(entries.join(', '))).toEqual(entries);
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseUri under fuzzing', () => {
  it('reads back the user, host and port it is given', () => {
    const label = fc.string({ unit: fc.constantFrom(...'abcxyz0189-'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(label, label, fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }), (user, host, port) => {
        const u = parseUri(`sip:${user}@${host}${port === null ? '' : ':' + port};transport=tcp`);
        expect(u).toMatchObject({ scheme: 'sip', user, host, port, params: { transport: 'tcp' } });
      }),
      { numRuns: 300 },
    );
  });
});
