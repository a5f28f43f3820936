/**
 * ASCII comparisons for protocol tokens (schemes, versions), which are case-insensitive in ASCII
 * only. Cheaper than toUpperCase()/toLowerCase(), which cost a new string per call.
 */

/** True when `s` starts with `upper` (upper-case ASCII) in any ASCII case. */
export function startsWithUpper(s: string, upper: string): boolean {
  if (s.length < upper.length) return false;
  for (let i = 0; i < upper.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== upper.charCodeAt(i)) return false;
  }
  return true;
}
