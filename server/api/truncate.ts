/** Cutting hostile text to a size an answer may carry. Pure: no I/O. */

/**
 * The longest prefix of `s` whose UTF-8 encoding is at most `maxBytes` bytes, cut before a
 * character, never inside one (nor between the halves of a surrogate pair).
 * `bytes` is the UTF-8 size of the whole of `s`.
 */
export function cutUtf8(s: string, maxBytes: number): { text: string; truncated: boolean; bytes: number } {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes <= maxBytes) return { text: s, truncated: false, bytes };
  const buf = Buffer.from(s, 'utf8');
  let end = maxBytes;
  // Back off over UTF-8 continuation bytes (10xxxxxx) to the start of the character cut in two.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return { text: buf.toString('utf8', 0, end), truncated: true, bytes };
}
