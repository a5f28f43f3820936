import { describe, expect, it } from 'vitest';
import { lineDiff, sipLines } from './diff.ts';

const changed = (ls: { changed: boolean }[]) => ls.map((l) => (l.changed ? 1 : 0));

describe('lineDiff', () => {
  it('marks nothing for equal messages', () => {
    const d = lineDiff(['a', 'b'], ['a', 'b']);
    expect(changed(d.left)).toEqual([0, 0]);
    expect(changed(d.right)).toEqual([0, 0]);
  });

  it('marks a changed header on both sides and keeps the common ones', () => {
    //  INVITE hop 1 vs hop 2: the proxy adds a Via and changes Max-Forwards
    const a = ['INVITE sip:b@x SIP/2.0', 'Via: SIP/2.0/UDP a', 'Max-Forwards: 70', 'Call-ID: c'];
    const b = ['INVITE sip:b@x SIP/2.0', 'Via: SIP/2.0/UDP p', 'Via: SIP/2.0/UDP a', 'Max-Forwards: 69', 'Call-ID: c'];
    const d = lineDiff(a, b);
    expect(changed(d.left)).toEqual([0, 0, 1, 0]);
    expect(changed(d.right)).toEqual([0, 1, 0, 1, 0]);
  });

  it('falls back to same-index comparison for very long inputs', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `l${i}`);
    const b = [...a];
    b[5] = 'x';
    expect(lineDiff(a, b).right.filter((l) => l.changed)).toHaveLength(1);
  });
});

describe('sipLines', () => {
  it('splits on CRLF and drops the final empty line', () => {
    expect(sipLines('A\r\nB\r\n')).toEqual(['A', 'B']);
  });
});
