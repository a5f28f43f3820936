/**
 * Realistic SIP messages for the parser tests, as seen behind an OpenSIPS/Kamailio proxy.
 * Test-only: nothing outside *.test.ts imports this file.
 *
 * Scenario of the main call (attended transfer), drawn as the ladder would show it:
 *
 *   alice (198.51.100.10)   proxy (192.0.2.1)   bob (203.0.113.5)   carol (203.0.113.7)
 *     |--INVITE a84b4c76------>|--INVITE---------->|
 *     |<-180 Ringing-----------|<-180--------------|
 *     |<-200 OK----------------|<-200--------------|
 *     |                        |<-REFER (Refer-To carol?Replaces=call-2)
 *     |                        |                   |          carol--INVITE Replaces-->
 *     |                        |<-NOTIFY sipfrag 200 OK----------------|
 */

export interface MessageOptions {
  /** Line ending: CRLF per RFC 3261 §7, or bare LF as some capture tools write it. */
  eol?: '\r\n' | '\n';
  /** Content-Length to write; 'auto' counts the body's UTF-8 octets; null leaves the header out. */
  contentLength?: number | 'auto' | null;
  /** Spelling of the Content-Length header: full, or the compact form 'l'. */
  lengthName?: 'Content-Length' | 'l';
}

/** Builds a message from its start line, header lines and body. */
export function makeMessage(startLine: string, headers: string[], body = '', opts: MessageOptions = {}): string {
  const eol = opts.eol ?? '\r\n';
  const cl = opts.contentLength === undefined ? 'auto' : opts.contentLength;
  const lines = [startLine, ...headers];
  if (cl !== null) lines.push(`${opts.lengthName ?? 'Content-Length'}: ${cl === 'auto' ? Buffer.byteLength(body, 'utf8') : cl}`);
  return lines.join(eol) + eol + eol + body;
}

/** Offer with one audio stream (PCMU, PCMA, telephone-event). */
export const OFFER_SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.10',
  's=-',
  'c=IN IP4 198.51.100.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
].join('\r\n');

/** INVITE as relayed by the proxy: two Vias, Record-Route, SDP. */
export function invite(overrides: { headers?: string[]; body?: string; opts?: MessageOptions } = {}): string {
  return makeMessage(
    'INVITE sip:bob@203.0.113.5:5060;transport=udp SIP/2.0',
    overrides.headers ?? [
      'Record-Route: <sip:192.0.2.1;lr;ftag=1928301774;did=9a1.b2c>',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2d4790.1',
      'Via: SIP/2.0/UDP 198.51.100.10:5060;received=198.51.100.10;rport=5060;branch=z9hG4bK776asdhds',
      'Max-Forwards: 69',
      'From: "Alice Liddell" <sip:alice@example.com>;tag=1928301774',
      'To: <sip:bob@example.com>',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:alice@198.51.100.10:5060;transport=udp>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"',
      'User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)',
      'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY',
      'Content-Type: application/sdp',
    ],
    overrides.body ?? OFFER_SDP,
    overrides.opts,
  );
}

/** 180 Ringing from bob, Via stack as sent back through the proxy. */
export const RINGING = makeMessage('SIP/2.0 180 Ringing', [
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2d4790.1',
  'Via: SIP/2.0/UDP 198.51.100.10:5060;received=198.51.100.10;rport=5060;branch=z9hG4bK776asdhds',
  'Record-Route: <sip:192.0.2.1;lr;ftag=1928301774;did=9a1.b2c>',
  'From: "Alice Liddell" <sip:alice@example.com>;tag=1928301774',
  'To: <sip:bob@example.com>;tag=a6c85cf',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:bob@203.0.113.5:5060>',
  'Server: Asterisk PBX 20.5.0',
]);

/** 486 Busy Here with a Q.850 Reason (RFC 3326). */
export const BUSY = makeMessage('SIP/2.0 486 Busy Here', [
  'Via: SIP/2.0/UDP 198.51.100.10:5060;received=198.51.100.10;rport=5060;branch=z9hG4bK776asdhds',
  'From: "Alice Liddell" <sip:alice@example.com>;tag=1928301774',
  'To: <sip:bob@example.com>;tag=a6c85cf',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Reason: Q.850;cause=17;text="User busy"',
  'Server: FreeSWITCH-mod_sofia/1.10.11',
]);

/** REFER from bob for an attended transfer: Refer-To carries an escaped Replaces (RFC 3891 §7). */
export const REFER = makeMessage('REFER sip:alice@198.51.100.10:5060 SIP/2.0', [
  'Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKnashds9',
  'Max-Forwards: 70',
  'From: <sip:bob@example.com>;tag=a6c85cf',
  'To: "Alice Liddell" <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 101 REFER',
  'Contact: <sip:bob@203.0.113.5:5060>',
  'Refer-To: <sip:carol@203.0.113.7?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>',
  'Referred-By: "Bob" <sip:bob@example.com>',
]);

/** NOTIFY reporting the transfer's progress in a message/sipfrag body (RFC 3515 §2.4.5). */
export const NOTIFY_SIPFRAG = makeMessage(
  'NOTIFY sip:bob@203.0.113.5:5060 SIP/2.0',
  [
    'Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK4sfw1',
    'From: <sip:alice@example.com>;tag=1928301774',
    'To: <sip:bob@example.com>;tag=a6c85cf',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 7 NOTIFY',
    'Event: refer',
    'Subscription-State: terminated;reason=noresource',
    'Content-Type: message/sipfrag;version=2.0',
  ],
  'SIP/2.0 200 OK\r\n',
);
