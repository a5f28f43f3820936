import { readHeaders } from './headers.ts';
import { hasSdpLine, parseSdp } from './sdp.ts';
import type { Sdp } from './types.ts';
import { headerParams } from './uri.ts';

/** Nested multipart bodies deeper than this are not searched (mixed → alternative is 2). */
const MAX_MULTIPART_DEPTH = 3;

/** `application/sdp` from `Application/SDP; charset=x`: the media type, lower case. */
export function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** Octets `s` takes in UTF-8 (Content-Length counts octets, RFC 3261 §20.14). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 2; // a surrogate pair is 2 UTF-16 units and 4 octets
      i++;
    } else n += 2;
  }
  return n;
}

/** One body part of a multipart body: its Content-Type (null when absent) and content. */
export interface BodyPart {
  contentType: string | null;
  content: string;
}

/**
 * Splits a multipart body (RFC 2046 §5.1.1) at delimiter lines `--boundary`, stopping at
 * `--boundary--`. The preamble and epilogue are dropped; the CRLF before each delimiter
 * belongs to the delimiter. Each part's headers end at its first empty line.
 */
export function multipartParts(body: string, boundary: string): BodyPart[] {
  const parts: BodyPart[] = [];
  if (boundary === '') return parts;
  const delim = '--' + boundary;
  let idx = nextDelimiter(body, delim, 0);
  while (idx >= 0) {
    if (body.startsWith('--', idx + delim.length)) break; // close delimiter
    const lineEnd = body.indexOf('\n', idx);
    if (lineEnd < 0) break;
    const start = lineEnd + 1;
    const next = nextDelimiter(body, delim, start);
    let end = next < 0 ? body.length : next;
    if (end > start && body.charCodeAt(end - 1) === 0x0a) end--;
    if (end > start && body.charCodeAt(end - 1) === 0x0d) end--;
    const part = body.slice(start, end);
    const { headers, bodyStart } = readHeaders(part, 0, new Set());
    const ct = headers.find((h) => h.name === 'content-type');
    parts.push({ contentType: ct ? ct.value : null, content: bodyStart === null ? '' : part.slice(bodyStart) });
    idx = next;
  }
  return parts;
}

/** Next `delim` at or after `from` that starts a line. */
function nextDelimiter(body: string, delim: string, from: number): number {
  let i = body.indexOf(delim, from);
  while (i > 0 && body.charCodeAt(i - 1) !== 0x0a) i = body.indexOf(delim, i + 1);
  return i;
}

/** Removes the quotes of a quoted parameter value (`"abc"` → `abc`). */
function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/**
 * The SDP text a body carries: the body itself when `contentType` is application/sdp, or the
 * first application/sdp part of a multipart/* body (RFC 5621 multipart in SIP) that has SDP
 * lines. Null when there is none.
 */
export function findSdpText(contentType: string | null, body: string, depth = 0): string | null {
  if (contentType === null || body === '') return null;
  const type = mediaType(contentType);
  if (type === 'application/sdp') return hasSdpLine(body) ? body : null;
  if (!type.startsWith('multipart/') || depth >= MAX_MULTIPART_DEPTH) return null;
  const boundary = unquote(headerParams(contentType).boundary ?? '');
  for (const part of multipartParts(body, boundary)) {
    const sdp = findSdpText(part.contentType, part.content, depth + 1);
    if (sdp !== null) return sdp;
  }
  return null;
}

/** The SDP carried by a body (see findSdpText), parsed. */
export function findSdp(contentType: string | null, body: string): Sdp | null {
  const text = findSdpText(contentType, body);
  return text === null ? null : parseSdp(text);
}
