import { describe, expect, it } from 'vitest';
import { rawRows } from './raw-rows.ts';

const rows = (text: string, width: number) => {
  const r = rawRows(text, width);
  return Array.from(r.starts, (s, i) => (r.continued[i] ? '+' : '') + text.slice(s, r.ends[i]));
};

describe('rawRows', () => {
  it('makes one row per line, without CR LF, and no empty row after the final line break', () => {
    expect(rows('INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\nv=0\r\n', 80)).toEqual(['INVITE sip:a@b SIP/2.0', 'Call-ID: x', '', 'v=0']);
    expect(rows('a\nb', 80)).toEqual(['a', 'b']);
    expect(rows('', 80)).toEqual(['']);
  });

  it('wraps a line longer than the width into continued rows', () => {
    expect(rows('Call-ID: 0123456789\r\nX: y\r\n', 8)).toEqual(['Call-ID:', '+ 0123456', '+789', 'X: y']);
  });

  it('never splits a surrogate pair', () => {
    expect(rows('ab😀cd', 3)).toEqual(['ab', '+😀c', '+d']);
  });

  it('covers a 1 MB single-line text in rows of the width', () => {
    const text = 'x'.repeat(1 << 20);
    const r = rawRows(text, 100);
    expect(r.count).toBe(Math.ceil((1 << 20) / 100));
    expect(r.ends[r.count - 1]).toBe(text.length);
  });
});
