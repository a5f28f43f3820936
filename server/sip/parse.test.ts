import { describe, expect, it } from 'vitest';
import { BUSY, NOTIFY_SIPFRAG, REFER, RINGING, invite, makeMessage } from '../testing/sip-messages.ts';
import { firstLine, parseSip, sipLabel } from './parse.ts';

const OPTS = { correlationHeaders: ['X-CID', 'X-Call-ID'] };

describe('parseSip on well-formed messages', () => {
  it('reads every field of a relayed INVITE with SDP', () => {
    const msg = parseSip(invite(), OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg).toMatchObject({
      kind: 'request',
      method: 'INVITE',
      requestUri: { user: 'bob', host: '203.0.113.5', port: 5060, params: { transport: 'udp' } },
      status: null,
      reason: null,
      callId: 'a84b4c76e66710@pc33.example.com',
      cseq: { num: 314159, method: 'INVITE' },
      from: { display: 'Alice Liddell', tag: '1928301774', uri: { user: 'alice', host: 'example.com' } },
      to: { display: null, tag: null, uri: { user: 'bob' } },
      viaBranch: 'z9hG4bK2d4790.1', // the top Via is the proxy's
      viaHost: '192.0.2.1',
      viaCount: 2,
      contact: { uri: { host: '198.51.100.10', port: 5060 } },
      userAgent: 'Linphone/5.2.0 (belle-sip/5.2.0)',
      contentType: 'application/sdp',
      replaces: null,
      join: null,
      referTo: null,
      referredBy: null,
      reasonHeader: null,
      correlationHeaders: [],
    });
    expect(msg.sdp?.media[0]).toMatchObject({ type: 'audio', port: 49170, direction: 'sendrecv' });
    expect(msg.headers.filter((h) => h.name === 'via')).toHaveLength(2);
    expect(msg.body.startsWith('v=0\r\n')).toBe(true);
    expect(sipLabel(msg)).toBe('INVITE');
  });

  it('reads a provisional response and takes the user agent from Server', () => {
    const msg = parseSip(RINGING, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg).toMatchObject({ kind: 'response', method: null, status: 180, reason: 'Ringing', userAgent: 'Asterisk PBX 20.5.0' });
    expect(msg.to?.tag).toBe('a6c85cf');
    expect(msg.sdp).toBeNull();
    expect(sipLabel(msg)).toBe('180 Ringing');
  });

  it('keeps the Reason header of a 486 as written', () => {
    const msg = parseSip(BUSY, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.reasonHeader).toBe('Q.850;cause=17;text="User busy"');
    expect(sipLabel(msg)).toBe('486 Busy Here');
  });

  it('joins repeated Reason headers as one list', () => {
    const text = BUSY.replace('Server:', 'Reason: SIP;cause=486;text="Busy Here"\r\nServer:');
    expect(parseSip(text, OPTS).reasonHeader).toBe('Q.850;cause=17;text="User busy", SIP;cause=486;text="Busy Here"');
  });

  it('decodes the Replaces embedded in a REFER Refer-To', () => {
    const msg = parseSip(REFER, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.referTo?.uri).toMatchObject({ user: 'carol', host: '203.0.113.7' });
    expect(msg.referTo?.replaces).toEqual({ callId: 'abc@host', toTag: '1', fromTag: '2', earlyOnly: false });
    expect(msg.referredBy).toMatchObject({ display: 'Bob', uri: { user: 'bob' } });
  });

  it('decodes a Replaces written with unescaped ; and @ inside the Refer-To brackets', () => {
    const text = REFER.replace(/Refer-To: [^\r]*/, 'Refer-To: <sip:carol@203.0.113.7?Replaces=abc@host;to-tag=1;from-tag=2>');
    const msg = parseSip(text, OPTS);
    expect(msg.referTo?.uri).toMatchObject({ user: 'carol', host: '203.0.113.7', params: {} });
    expect(msg.referTo?.replaces).toEqual({ callId: 'abc@host', toTag: '1', fromTag: '2', earlyOnly: false });
  });

  it('reads a Refer-To without Replaces (blind transfer) with a null replaces', () => {
    const text = REFER.replace(/Refer-To: [^\r]*/, 'r: sip:dave@example.com');
    const msg = parseSip(text, OPTS);
    expect(msg.referTo).toMatchObject({ uri: { user: 'dave' }, replaces: null });
  });

  it('reads the Replaces header of an INVITE', () => {
    const msg = parseSip(
      invite({
        headers: [
          'Via: SIP/2.0/UDP 203.0.113.7;branch=z9hG4bKcarol1',
          'From: <sip:carol@example.com>;tag=c1',
          'To: <sip:alice@example.com>',
          'Call-ID: carol-call-1@203.0.113.7',
          'CSeq: 1 INVITE',
          'Replaces: abc@host;to-tag=1;from-tag=2;early-only',
          'Content-Type: application/sdp',
        ],
      }),
      OPTS,
    );
    expect(msg.replaces).toEqual({ callId: 'abc@host', toTag: '1', fromTag: '2', earlyOnly: true });
    expect(msg.join).toBeNull();
  });

  it('reads the Join header of an INVITE', () => {
    const msg = parseSip(
      invite({
        headers: [
          'Via: SIP/2.0/UDP 203.0.113.7;branch=z9hG4bKjoin',
          'From: <sip:carol@example.com>;tag=c2',
          'To: <sip:alice@example.com>',
          'Call-ID: join-1@203.0.113.7',
          'CSeq: 1 INVITE',
          'Join: 12adf2f34456gs5;to-tag=12345;from-tag=54321',
        ],
        body: '',
      }),
      OPTS,
    );
    expect(msg.join).toEqual({ callId: '12adf2f34456gs5', toTag: '12345', fromTag: '54321', earlyOnly: false });
    expect(msg.replaces).toBeNull();
  });

  it('keeps a message/sipfrag NOTIFY body and finds no SDP in it', () => {
    const msg = parseSip(NOTIFY_SIPFRAG, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.body).toBe('SIP/2.0 200 OK\r\n');
    expect(msg.contentType).toBe('message/sipfrag;version=2.0');
    expect(msg.sdp).toBeNull();
  });

  it('collects configured correlation headers in any case, in message order, with the configured name', () => {
    const text = RINGING.replace('Server:', 'x-cid: leg-a@192.0.2.1\r\nX-Other: no\r\nX-CALL-ID: leg-b\r\nServer:');
    expect(parseSip(text, OPTS).correlationHeaders).toEqual([
      { name: 'X-CID', value: 'leg-a@192.0.2.1' },
      { name: 'X-Call-ID', value: 'leg-b' },
    ]);
  });

  it('keeps a hostile display name literally', () => {
    const text = RINGING.replace(/From: [^\r]*/, 'From: "<script>alert(1)</script>" <sip:x@y>;tag=1');
    const msg = parseSip(text, OPTS);
    expect(msg.from?.display).toBe('<script>alert(1)</script>');
    expect(msg.headers.find((h) => h.name === 'from')?.value).toBe('"<script>alert(1)</script>" <sip:x@y>;tag=1');
  });

  it('ignores keep-alive line breaks before the start line (RFC 3261 §7.5)', () => {
    const msg = parseSip('\r\n\r\n' + RINGING, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.status).toBe(180);
  });
});

describe('parseSip on other layouts', () => {
  it('reads a message written entirely in compact forms', () => {
    const text = makeMessage(
      'INVITE sip:bob@example.com SIP/2.0',
      [
        'v: SIP/2.0/UDP 198.51.100.10;branch=z9hG4bKcompact',
        'f: Alice <sip:alice@example.com>;tag=88',
        't: sip:bob@example.com',
        'i: compact-1@198.51.100.10',
        'CSeq: 2 INVITE',
        'm: <sip:alice@198.51.100.10>',
        'c: application/sdp',
        'k: replaces, timer',
      ],
      'v=0\r\nc=IN IP4 198.51.100.10\r\nm=audio 4000 RTP/AVP 0\r\n',
      { lengthName: 'l' },
    );
    const msg = parseSip(text, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg).toMatchObject({
      callId: 'compact-1@198.51.100.10',
      viaBranch: 'z9hG4bKcompact',
      from: { display: 'Alice', tag: '88' },
      to: { uri: { user: 'bob' } },
      contentType: 'application/sdp',
    });
    expect(msg.sdp?.media).toHaveLength(1);
    expect(msg.headers.map((h) => h.name)).toContain('supported');
  });

  it('reads a message with bare LF line endings', () => {
    const msg = parseSip(invite({ opts: { eol: '\n' } }), OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.callId).toBe('a84b4c76e66710@pc33.example.com');
    expect(msg.sdp?.connection).toBe('198.51.100.10');
  });

  it('reads a message whose line endings are mixed', () => {
    const text = RINGING.replace('Call-ID: a84b4c76e66710@pc33.example.com\r\n', 'Call-ID: a84b4c76e66710@pc33.example.com\n');
    const msg = parseSip(text, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.cseq).toEqual({ num: 314159, method: 'INVITE' });
  });

  it('undoes folded header lines', () => {
    const text = RINGING.replace('To: <sip:bob@example.com>;tag=a6c85cf', 'To:\r\n  <sip:bob@example.com>\r\n\t;tag=a6c85cf');
    const msg = parseSip(text, OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.to?.tag).toBe('a6c85cf');
    expect(msg.headers.find((h) => h.name === 'to')?.value).toBe('<sip:bob@example.com> ;tag=a6c85cf');
  });

  it('takes the branch from the first value of a Via line that holds two', () => {
    const text = RINGING.replace(
      /Via: [^\r]*\r\nVia: [^\r]*/,
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKtop, SIP/2.0/UDP 198.51.100.10;branch=z9hG4bKlow',
    );
    expect(parseSip(text, OPTS).viaBranch).toBe('z9hG4bKtop');
  });

  it('takes the first Contact of a list and reads no contact for Contact: *', () => {
    const list = RINGING.replace('Contact: <sip:bob@203.0.113.5:5060>', 'Contact: "B, one" <sip:b1@h>, <sip:b2@h>');
    expect(parseSip(list, OPTS).contact).toMatchObject({ display: 'B, one', uri: { user: 'b1' } });
    const star = RINGING.replace('Contact: <sip:bob@203.0.113.5:5060>', 'Contact: *');
    expect(parseSip(star, OPTS).contact).toBeNull();
  });

  it('finds the SDP part of a multipart/mixed body', () => {
    const body = [
      '--unique-boundary-1',
      'Content-Type: application/sdp',
      '',
      'v=0',
      'c=IN IP4 192.0.2.44',
      'm=audio 20000 RTP/AVP 8',
      'a=recvonly',
      '',
      '--unique-boundary-1',
      'Content-Type: application/isup;version=itu-t92+',
      'Content-Disposition: signal;handling=optional',
      '',
      '\x01\x00\x49\x00\x00\x03\x02\x00\x07',
      '--unique-boundary-1--',
      '',
    ].join('\r\n');
    const headers = [
      'Via: SIP/2.0/UDP 192.0.2.44;branch=z9hG4bKmp',
      'From: <sip:gw@192.0.2.44>;tag=g1',
      'To: <sip:bob@example.com>',
      'Call-ID: mp-1@192.0.2.44',
      'CSeq: 1 INVITE',
      'Content-Type: multipart/mixed;boundary="unique-boundary-1"',
    ];
    const msg = parseSip(invite({ headers, body }), OPTS);
    expect(msg.problems).toEqual([]);
    expect(msg.sdp).toEqual({
      connection: '192.0.2.44',
      media: [{ type: 'audio', port: 20000, proto: 'RTP/AVP', formats: ['8'], direction: 'recvonly', connection: '192.0.2.44' }],
    });
  });

  it('counts Content-Length in UTF-8 octets', () => {
    const msg = parseSip(NOTIFY_SIPFRAG.replace('Content-Type: message/sipfrag;version=2.0', 'Content-Type: text/plain'), OPTS);
    expect(msg.problems).toEqual([]);
    const utf8 = makeMessage('MESSAGE sip:bob@example.com SIP/2.0', [
      'Via: SIP/2.0/UDP h;branch=z9hG4bKm',
      'From: <sip:a@example.com>;tag=1',
      'To: <sip:bob@example.com>',
      'Call-ID: m-1',
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain;charset=utf-8',
    ], 'Grüße 👋');
    expect(parseSip(utf8, OPTS).problems).toEqual([]);
  });
});

describe('firstLine and sipLabel', () => {
  it('returns the first non-empty line without its line ending', () => {
    expect(firstLine('\r\nSIP/2.0 200 OK\r\nVia: x')).toBe('SIP/2.0 200 OK');
    expect(firstLine('BYE sip:a@b SIP/2.0')).toBe('BYE sip:a@b SIP/2.0');
  });

  it('labels a response without a reason phrase by its code alone', () => {
    expect(sipLabel(parseSip(RINGING.replace('180 Ringing', '180'), OPTS))).toBe('180');
  });

  it('keeps spaces inside the reason phrase', () => {
    expect(sipLabel(parseSip(RINGING.replace('180 Ringing', '183  Session  Progress'), OPTS))).toBe('183 Session  Progress');
  });
});
