import type { Sdp, SdpMedia } from './types.ts';

type Direction = SdpMedia['direction'];

/** RFC 4566 §6 direction attributes (RFC 3264 §5.1 offer/answer meaning). */
function directionOf(attr: string): Direction | null {
  switch (attr) {
    case 'sendrecv':
    case 'sendonly':
    case 'recvonly':
    case 'inactive':
      return attr;
    default:
      return null;
  }
}

/** Address of `IN IP4 192.0.2.1` (RFC 4566 §5.7), kept as written (0.0.0.0 hold included). */
function connectionAddress(value: string): string | null {
  const parts = value.trim().split(/\s+/);
  return parts.length >= 3 && parts[2] !== '' ? parts[2] : null;
}

/** Decimal prefix of `49170` or `49170/2` (RFC 4566 §5.14 port/number-of-ports); -1 when bad. */
function mediaPort(s: string): number {
  const slash = s.indexOf('/');
  const digits = slash < 0 ? s : s.slice(0, slash);
  if (digits === '' || digits.length > 5) return -1;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  const n = Number(digits);
  return n <= 65535 ? n : -1;
}

interface MediaDraft {
  media: SdpMedia;
  direction: Direction | null;
}

/**
 * Calls `visit` with each line of an SDP body (CRLF or LF endings), trimmed, until it answers
 * true; answers whether one did. A callback, not a generator: hasSdpLine runs for every message.
 */
function someLine(body: string, visit: (line: string) => boolean): boolean {
  let pos = 0;
  while (pos < body.length) {
    const nl = body.indexOf('\n', pos);
    const lineEnd = nl < 0 ? body.length : nl;
    if (visit(body.slice(pos, lineEnd).trim())) return true;
    pos = lineEnd + 1;
  }
  return false;
}

/** A v=, c= or m= line: the lines that make parseSdp answer an Sdp. */
function isSdpLine(line: string): boolean {
  return line.length >= 2 && line.charCodeAt(1) === 0x3d /* = */ && (line[0] === 'v' || line[0] === 'c' || line[0] === 'm');
}

/** True when `body` has a v=, c= or m= line. */
export function hasSdpLine(body: string): boolean {
  return someLine(body, isSdpLine);
}

/**
 * Reads the parts of an SDP body (RFC 4566) that a ladder needs: session and media c= addresses,
 * m= lines, and the direction of each stream. A media-level direction attribute overrides the
 * session-level one, which defaults to sendrecv (RFC 3264 §5.1). `media[i].connection` is the
 * media-level c= if any, else the session-level one. Lines end in CRLF or LF; unknown and
 * malformed lines are skipped. Returns null when the body has no v=, c= or m= line.
 */
export function parseSdp(body: string): Sdp | null {
  let connection: string | null = null;
  let sessionDir: Direction | null = null;
  const drafts: MediaDraft[] = [];
  let current: MediaDraft | null = null;
  let inMedia = false; // past the first m= line: c= and a= belong to a stream, not the session
  let seen = false;
  someLine(body, (line) => {
    if (line.length < 2 || line.charCodeAt(1) !== 0x3d /* = */) return false;
    const type = line[0];
    const value = line.slice(2);
    if (type === 'v') {
      seen = true;
    } else if (type === 'c') {
      seen = true;
      const addr = connectionAddress(value);
      if (current) current.media.connection = addr;
      else if (!inMedia) connection = addr;
    } else if (type === 'm') {
      seen = true;
      inMedia = true;
      const f = value.trim().split(/\s+/);
      const port = mediaPort(f[1] ?? '');
      if (f.length < 3 || port < 0) {
        current = null; // a broken m= line's attributes must not land on the previous stream
        return false;
      }
      current = {
        media: { type: f[0], port, proto: f[2], formats: f.slice(3), direction: 'sendrecv', connection: null },
        direction: null,
      };
      drafts.push(current);
    } else if (type === 'a') {
      const dir = directionOf(value.trim());
      if (dir === null) return false;
      if (current) current.direction = dir;
      else if (!inMedia) sessionDir = dir;
    }
    return false; // every line is read
  });
  if (!seen) return null;
  const media = drafts.map(({ media: m, direction }) => ({
    ...m,
    direction: direction ?? sessionDir ?? 'sendrecv',
    connection: m.connection ?? connection,
  }));
  return { connection, media };
}
