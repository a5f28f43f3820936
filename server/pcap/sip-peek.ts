/**
 * Quick looks at SIP bytes without a full parse: is this a SIP start line, where do the headers
 * end, what is the Content-Length. The importer uses them to detect and frame SIP;
 * server/sip/parse.ts does the real parsing later, in the ingest path.
 */

/** Longest start line looked at, bytes; a request URI longer than this is not credible SIP. */
const START_LINE_MAX = 2048;

/** RFC 3261 §25.1: Request-Line = Method SP Request-URI SP SIP-Version (Method is a token). */
const REQUEST_LINE = /^[A-Za-z0-9.!%*_+`'~-]+ [A-Za-z][A-Za-z0-9+.-]*:\S+ SIP\/2\.0$/;
/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. */
const STATUS_LINE = /^SIP\/2\.0 [1-6]\d\d(?: |$)/;

/** True when the bytes at `pos` begin with a SIP request or status line (on any port). */
export function isSipStart(buf: Buffer, pos = 0): boolean {
  const limit = Math.min(buf.length, pos + START_LINE_MAX);
  const eol = buf.indexOf(0x0a, pos);
  if (eol < 0 || eol >= limit) return false;
  const lineEnd = eol > pos && buf[eol - 1] === 0x0d ? eol - 1 : eol;
  const line = buf.toString('latin1', pos, lineEnd);
  return line.startsWith('SIP/2.0 ') ? STATUS_LINE.test(line) : REQUEST_LINE.test(line);
}

/**
 * Finds the next SIP start line at or after `from` that begins a line; -1 when none.
 * Used to resynchronise a TCP stream picked up mid-message.
 */
export function findSipStart(buf: Buffer, from: number): number {
  for (let pos = from; pos < buf.length; ) {
    if ((pos === 0 || buf[pos - 1] === 0x0a) && isSipStart(buf, pos)) return pos;
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return -1;
}

/** Offset just past the blank line that ends the headers (CRLFCRLF, or bare LFLF); -1 when absent. */
export function headerEnd(buf: Buffer, from: number): number {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  // A bare LFLF counts only before the CRLFCRLF: searching on would read every later message.
  const lf = crlf < 0 ? buf.indexOf('\n\n', from, 'latin1') : buf.subarray(0, crlf + 2).indexOf('\n\n', from, 'latin1');
  if (crlf < 0 && lf < 0) return -1;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf + 2;
}

/** Header lines start after a line feed (the start line comes first), so "\n" anchors them: faster than /^…/m. */
const CONTENT_LENGTH = /\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i;

/** Content-Length (or compact "l") of a header block; null when absent (RFC 3261 §20.14). */
export function contentLength(headers: string): number | null {
  const m = CONTENT_LENGTH.exec(headers);
  return m ? Number(m[1]) : null;
}
