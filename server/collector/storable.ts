/**
 * Making every text a message carries storable before any store sees it. PostgreSQL's text type
 * cannot hold U+0000 (SQLSTATE 22021), and a payload that is not UTF-8 cannot be stored as sent;
 * either once made a whole batch fail on every retry. Such a message is kept, in a safe form, and
 * flagged like other malformed SIP (problem names as in sip/parse.ts). Pure.
 */
import { isUtf8 } from 'node:buffer';
import type { MessageInput } from '../store/types.ts';

/**
 * What a NUL becomes: U+2400 SYMBOL FOR NULL ("␀"). One visible character for one, so that text
 * offsets keep their meaning, and unlike a "\x00" escape it cannot be mistaken for four characters
 * the sender wrote (SIP text never carries it).
 */
export const NUL_MARK = '\u2400';

/** A NUL byte was in the payload or a HEP text chunk (correlation id 0x0011, node name 0x0013). */
export const NUL_BYTE = 'nul-byte';
/** The payload was not valid UTF-8: each bad sequence reads as U+FFFD (WHATWG decoding, as Node's). */
export const INVALID_UTF8 = 'invalid-utf8';

const NONE: readonly string[] = Object.freeze([]);

/** `s` with every NUL replaced by NUL_MARK; `s` itself when it has none (one native indexOf). */
export function escapeNul(s: string): string {
  return s.indexOf('\0') === -1 ? s : s.replaceAll('\0', NUL_MARK);
}

/** The HEP texts that go into a message beside its payload. */
export interface HepTexts {
  captureId: string;
  hepCorrelationId: string | null;
}

/**
 * A payload as storable text, with the problems found (a shared empty list when none). `texts`
 * has its NULs escaped in place. Cost on a clean message: three indexOf scans, no allocation
 * beyond the decoded text; isUtf8 runs only when the text holds U+FFFD.
 */
export function storableText(payload: Buffer, texts: HepTexts): { text: string; problems: readonly string[] } {
  let text = payload.toString('utf8');
  let problems = NONE;
  const nulText = text.indexOf('\0') !== -1;
  const nulHep = texts.captureId.indexOf('\0') !== -1 || (texts.hepCorrelationId !== null && texts.hepCorrelationId.indexOf('\0') !== -1);
  if (nulText || nulHep) {
    problems = [NUL_BYTE];
    if (nulText) text = text.replaceAll('\0', NUL_MARK);
    texts.captureId = escapeNul(texts.captureId);
    if (texts.hepCorrelationId !== null) texts.hepCorrelationId = escapeNul(texts.hepCorrelationId);
  }
  if (text.indexOf('\uFFFD') !== -1 && !isUtf8(payload)) problems = [...problems, INVALID_UTF8];
  return { text, problems };
}

/** Every string field of a message: what storableMessage checks. */
const STRING_FIELDS = ['srcIp', 'dstIp', 'transport', 'captureId', 'hepCorrelationId', 'callId', 'method', 'reason',
  'cseqMethod', 'fromUser', 'fromTag', 'toUser', 'toTag', 'ruriUser', 'userAgent', 'viaBranch', 'raw'] as const;

/**
 * A message that reached a store without going through storableText (an import, a future path):
 * a copy with every NUL escaped and NUL_BYTE added to its problems, or `m` itself when it has none.
 * Used by the stores on a message they refused, before setting it aside.
 */
export function storableMessage(m: MessageInput): MessageInput {
  if (!STRING_FIELDS.some((f) => m[f]?.includes('\0')) && !m.links.some((l) => `${l.target}${l.header ?? ''}${l.value}`.includes('\0'))) return m;
  const out: MessageInput = { ...m, links: m.links.map((l) => ({ ...l, target: escapeNul(l.target),
    header: l.header === null ? null : escapeNul(l.header), value: escapeNul(l.value) })) };
  for (const f of STRING_FIELDS) {
    const v = m[f];
    if (v != null) (out as unknown as Record<string, string>)[f] = escapeNul(v);
  }
  out.problems = m.problems === null ? NUL_BYTE : m.problems.split('; ').includes(NUL_BYTE) ? m.problems : `${m.problems}; ${NUL_BYTE}`;
  return out;
}
