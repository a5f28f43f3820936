import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detached } from './strings.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap bytes held by `keep` (called 50 times, each with a slice of a fresh 1 MB text) once collected. */
function heldBy(keep: (part: string, i: number) => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 50; i++) {
    const text = `${String(i).padStart(4, '0')}${'v'.repeat(1 << 20)}`;
    keep(text.slice(2, 60), i);
  }
  gc();
  return process.memoryUsage().heapUsed - before;
}

describe('detached', () => {
  it('keeps the same text', () => {
    const s = 'z9hG4bK-776asdhds@10.0.0.1';
    expect(detached(s.slice(3))).toBe(s.slice(3));
    expect(detached('')).toBe('');
  });

  it('lets the text a kept part was cut from be collected (50 MB of texts, parts kept in a record and a key)', () => {
    const sliced: unknown[] = [];
    const own: unknown[] = [];
    expect(heldBy((part, i) => { sliced.push({ callId: part }, new Map([[`q ${i} ${part}`, 1]])); })).toBeGreaterThan(40e6);
    expect(heldBy((part, i) => { own.push({ callId: detached(part) }, new Map([[detached(`q ${i} ${part}`), 1]])); })).toBeLessThan(5e6);
    expect(sliced).toHaveLength(100);
    expect(own).toHaveLength(100);
  });
});
