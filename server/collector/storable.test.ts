import { describe, it, expect } from 'vitest';
import { escapeNul, INVALID_UTF8, NUL_BYTE, NUL_MARK, storableMessage, storableText } from './storable.ts';
import type { MessageInput } from '../store/types.ts';

function makeMessage(o: Partial<MessageInput> = {}): MessageInput {
  return { ts: 1, srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5060, transport: 'udp', captureId: '2001',
    hepCorrelationId: null, protoType: 1, callId: 'c1', method: 'INVITE', status: null, reason: null, cseqNum: 1,
    cseqMethod: 'INVITE', fromUser: 'alice', fromTag: 'a1', toUser: 'bob', toTag: null, ruriUser: 'bob', userAgent: null,
    viaBranch: 'z9hG4bK1', hasSdp: false, raw: 'INVITE sip:bob@x SIP/2.0\r\n\r\n', problems: null, links: [], ...o };
}

describe('escapeNul', () => {
  it('returns the same string when there is no NUL', () => {
    const s = 'abc';
    expect(escapeNul(s)).toBe(s);
  });

  it('replaces every NUL with one visible mark, keeping the length', () => {
    expect(escapeNul('a\0b\0')).toBe(`a${NUL_MARK}b${NUL_MARK}`);
    expect(escapeNul('a\0b\0')).toHaveLength(4);
  });
});

describe('storableText', () => {
  it('decodes a clean payload and finds no problem', () => {
    const texts = { captureId: 'proxy', hepCorrelationId: 'corr' };
    const r = storableText(Buffer.from('INVITE sip:bob@x SIP/2.0\r\n'), texts);
    expect(r).toEqual({ text: 'INVITE sip:bob@x SIP/2.0\r\n', problems: [] });
    expect(texts).toEqual({ captureId: 'proxy', hepCorrelationId: 'corr' });
  });

  it('escapes a NUL in the payload and flags nul-byte', () => {
    const r = storableText(Buffer.from('Call-ID: a\0b\r\n'), { captureId: 'p', hepCorrelationId: null });
    expect(r).toEqual({ text: `Call-ID: a${NUL_MARK}b\r\n`, problems: [NUL_BYTE] });
  });

  it('escapes a NUL in the node name and the correlation id in place and flags nul-byte', () => {
    const texts = { captureId: 'pro\0xy', hepCorrelationId: 'co\0rr' };
    const r = storableText(Buffer.from('SIP/2.0 200 OK\r\n'), texts);
    expect(r.problems).toEqual([NUL_BYTE]);
    expect(texts).toEqual({ captureId: `pro${NUL_MARK}xy`, hepCorrelationId: `co${NUL_MARK}rr` });
  });

  it('flags invalid-utf8 when the bytes are not UTF-8, not when U+FFFD was sent as such', () => {
    const bad = Buffer.concat([Buffer.from('From: <sip:'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('@x>\r\n')]);
    const r = storableText(bad, { captureId: 'p', hepCorrelationId: null });
    expect(r.problems).toEqual([INVALID_UTF8]);
    expect(r.text).toContain('\uFFFD');
    expect(storableText(Buffer.from('Subject: \uFFFD\r\n'), { captureId: 'p', hepCorrelationId: null }).problems).toEqual([]);
  });

  it('names both problems when the payload has a NUL and bytes that are not UTF-8', () => {
    const r = storableText(Buffer.from([0x41, 0x00, 0xff]), { captureId: 'p', hepCorrelationId: null });
    expect(r.problems).toEqual([NUL_BYTE, INVALID_UTF8]);
    expect(r.text).toBe(`A${NUL_MARK}\uFFFD`);
  });
});

describe('storableMessage', () => {
  it('returns the message itself when no field holds a NUL', () => {
    const m = makeMessage();
    expect(storableMessage(m)).toBe(m);
  });

  it('returns a copy with every NUL escaped, links included, and nul-byte added to the problems', () => {
    const m = makeMessage({ callId: 'c\0', fromUser: 'al\0ice', problems: 'no-cseq',
      links: [{ target: 't\0', rule: 'hep-correlation-id', header: '0x0011', value: 't\0' }] });
    const s = storableMessage(m);
    expect(s).not.toBe(m);
    expect(m.callId).toBe('c\0'); // the input is left as it was
    expect(s.callId).toBe(`c${NUL_MARK}`);
    expect(s.fromUser).toBe(`al${NUL_MARK}ice`);
    expect(s.links[0]).toEqual({ target: `t${NUL_MARK}`, rule: 'hep-correlation-id', header: '0x0011', value: `t${NUL_MARK}` });
    expect(s.problems).toBe('no-cseq; nul-byte');
    expect(storableMessage(makeMessage({ raw: '\0' })).problems).toBe('nul-byte');
  });
});
