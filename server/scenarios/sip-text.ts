/**
 * SIP message text for scenarios (RFC 3261 §7, §20): start line, Via stack, routing headers,
 * dialog headers, Content-Length in bytes, CRLF line endings. And a small SDP offer/answer body
 * (RFC 4566 / RFC 3264).
 */
import type { Node } from './builder.ts';
import { formatEndpoint } from '../hep/inet.ts';

/** A node's hostport (RFC 3261 §25.1). */
export function hostPort(n: Pick<Node, 'ip' | 'port'>): string {
  return formatEndpoint(n.ip, n.port);
}

/** A Via value: UDP, the node's address, the branch; `rport` (RFC 3581) from user agents. */
export function viaValue(n: Node, branch: string, rport = false): string {
  return `SIP/2.0/UDP ${hostPort(n)};branch=${branch}${rport ? ';rport' : ''}`;
}

/** A loose-routing Record-Route / Route entry for a proxy (RFC 3261 §16.6 step 4). */
export function routeEntry(n: Node): string {
  return `<sip:${hostPort(n)};lr>`;
}

export interface Body {
  type: string;
  text: string;
}

export interface RequestParts {
  method: string;
  ruri: string;
  /** Top first. */
  vias: string[];
  route?: string[];
  recordRoute?: string[];
  maxForwards: number;
  from: string;
  to: string;
  callId: string;
  cseq: number;
  /** CSeq method when it differs from `method` (never in RFC 3261; kept for odd cases). */
  cseqMethod?: string;
  contact?: string | null;
  agent?: string | null;
  /** Extra header lines, "Name: value". */
  extra?: string[];
  body?: Body | null;
}

export interface ResponseParts {
  status: number;
  reason: string;
  vias: string[];
  recordRoute?: string[];
  from: string;
  to: string;
  callId: string;
  cseq: number;
  cseqMethod: string;
  contact?: string | null;
  agent?: string | null;
  extra?: string[];
  body?: Body | null;
}

function finish(lines: string[], body: Body | null | undefined): string {
  if (body) lines.push(`Content-Type: ${body.type}`);
  const text = body?.text ?? '';
  lines.push(`Content-Length: ${Buffer.byteLength(text, 'utf8')}`);
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}

export function requestText(p: RequestParts): string {
  const lines = [`${p.method} ${p.ruri} SIP/2.0`, ...p.vias.map((v) => `Via: ${v}`)];
  if (p.route?.length) lines.push(`Route: ${p.route.join(', ')}`);
  if (p.recordRoute?.length) lines.push(`Record-Route: ${p.recordRoute.join(', ')}`);
  lines.push(`Max-Forwards: ${p.maxForwards}`, `From: ${p.from}`, `To: ${p.to}`, `Call-ID: ${p.callId}`, `CSeq: ${p.cseq} ${p.cseqMethod ?? p.method}`);
  if (p.contact) lines.push(`Contact: ${p.contact}`);
  lines.push(...(p.extra ?? []));
  if (p.agent) lines.push(`User-Agent: ${p.agent}`);
  return finish(lines, p.body);
}

export function responseText(p: ResponseParts): string {
  const lines = [`SIP/2.0 ${p.status} ${p.reason}`, ...p.vias.map((v) => `Via: ${v}`)];
  if (p.recordRoute?.length) lines.push(`Record-Route: ${p.recordRoute.join(', ')}`);
  lines.push(`From: ${p.from}`, `To: ${p.to}`, `Call-ID: ${p.callId}`, `CSeq: ${p.cseq} ${p.cseqMethod}`);
  if (p.contact) lines.push(`Contact: ${p.contact}`);
  lines.push(...(p.extra ?? []));
  if (p.agent) lines.push(`Server: ${p.agent}`);
  return finish(lines, p.body);
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpParts {
  ip: string;
  /** RTP port, even (RFC 3550 §11). */
  port: number;
  sessionId: number;
  version: number;
  direction: Direction;
}

/** An audio offer/answer: PCMU, PCMA and RFC 4733 telephone-events. */
export function sdpBody(p: SdpParts): Body {
  const family = p.ip.includes(':') ? 'IP6' : 'IP4';
  const text = [
    'v=0',
    `o=- ${p.sessionId} ${p.version} IN ${family} ${p.ip}`,
    's=-',
    `c=IN ${family} ${p.ip}`,
    't=0 0',
    `m=audio ${p.port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    `a=${p.direction}`,
    '',
  ].join('\r\n');
  return { type: 'application/sdp', text };
}

/** A message/sipfrag body (RFC 3420) for a REFER's NOTIFY (RFC 3515 §2.4.5). */
export function sipfrag(statusLine: string): Body {
  return { type: 'message/sipfrag;version=2.0', text: `${statusLine}\r\n` };
}
