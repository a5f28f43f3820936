/**
 * Line diff of two messages for the compare view (sngrep ui_msg_diff.c does the same per line).
 * Longest common subsequence over lines; lines outside it are marked changed on their side.
 * Pure. Quadratic, so inputs are capped (a SIP message is tens of lines; a body can be more).
 */

/** Above this many lines per side the diff compares line by line at the same index. */
export const MAX_DIFF_LINES = 1500;

export interface DiffLine {
  text: string;
  changed: boolean;
}

export function lineDiff(a: readonly string[], b: readonly string[]): { left: DiffLine[]; right: DiffLine[] } {
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    return {
      left: a.map((text, i) => ({ text, changed: b[i] !== text })),
      right: b.map((text, i) => ({ text, changed: a[i] !== text })),
    };
  }
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array of (n+1)*(m+1).
  const w = m + 1;
  const lcs = new Uint16Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const keepA = new Array<boolean>(n).fill(false);
  const keepB = new Array<boolean>(m).fill(false);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      keepA[i++] = true;
      keepB[j++] = true;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) i++;
    else j++;
  }
  return {
    left: a.map((text, k) => ({ text, changed: !keepA[k] })),
    right: b.map((text, k) => ({ text, changed: !keepB[k] })),
  };
}

/** Splits a SIP message into lines (CRLF per RFC 3261 §7, bare LF tolerated). */
export function sipLines(raw: string): string[] {
  return raw.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}
