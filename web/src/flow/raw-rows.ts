/**
 * Display rows of a raw SIP message for the virtualized detail pane. Pure: text in, offsets out.
 * Each line (CR LF or LF ended, the CR dropped) is one row, or several when it is longer than
 * `width`: a 256 KiB Call-ID on one line then costs rows, not one 256 KiB DOM text node.
 */
export interface RawRows {
  /** starts[i], ends[i]: UTF-16 offsets in the text of row i, end exclusive. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly count: number;
  /** Rows that continue the line of the row before them (a wrapped long line). */
  readonly continued: Uint8Array;
}

/** Rows of `text`, each at most `width` (≥ 2) UTF-16 units; never splits a surrogate pair. */
export function rawRows(text: string, width: number): RawRows {
  const starts: number[] = [];
  const ends: number[] = [];
  const continued: number[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let nl = text.indexOf('\n', lineStart);
    const last = nl === -1;
    if (last) nl = text.length;
    const lineEnd = nl > lineStart && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    let s = lineStart;
    do {
      let e = Math.min(lineEnd, s + width);
      // A high surrogate at the cut belongs with the low one after it.
      if (e < lineEnd && isHighSurrogate(text.charCodeAt(e - 1))) e--;
      starts.push(s);
      ends.push(e);
      continued.push(s === lineStart ? 0 : 1);
      s = e;
    } while (s < lineEnd);
    if (last) break;
    lineStart = nl + 1;
  }
  // A message ends with CR LF: no empty row after the last line break.
  if (starts.length > 1 && starts[starts.length - 1] === text.length) {
    starts.pop();
    ends.pop();
    continued.pop();
  }
  return { starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), count: starts.length, continued: Uint8Array.from(continued) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
