import { describe, expect, it } from 'vitest';
import { type LayoutMessage, layoutLadder } from './layout.ts';
import type { Side } from './sides.ts';

//  A ---INVITE--> P ---INVITE--> B        (leg 0 then leg 1)
//  A <---200----- P <---200----- B
const messages: LayoutMessage[] = [
  { leg: 0, src: 'A:5060', dst: 'P:5060' },
  { leg: 1, src: 'P:5060', dst: 'B:5060' },
  { leg: 1, src: 'B:5060', dst: 'P:5060' },
  { leg: 0, src: 'P:5060', dst: 'A:5060' },
];
const sides: Side[] = ['caller', 'callee', 'callee', 'caller'];
const keyOf = new Map([
  ['A:5060', 'A:5060'],
  ['P:5060', 'P:5060'],
  ['B:5060', 'B:5060'],
]);
const base = {
  columns: ['A:5060', 'P:5060', 'B:5060'],
  keyOf,
  hiddenLegs: new Set<number>(),
  sides,
  sideMode: 'both' as const,
  columnWidth: 100,
  rowHeight: 20,
};

describe('layoutLadder', () => {
  it('places columns at their centres and one row per message in order', () => {
    const l = layoutLadder(messages, base);
    expect(l.columns.map((c) => c.x)).toEqual([50, 150, 250]);
    expect(l.rows.map((r) => [r.message, r.y, r.x1, r.x2])).toEqual([
      [0, 0, 50, 150],
      [1, 20, 150, 250],
      [2, 40, 250, 150],
      [3, 60, 150, 50],
    ]);
    expect(l.width).toBe(300);
    expect(l.height).toBe(80);
  });

  it('follows the column order given', () => {
    const l = layoutLadder(messages, { ...base, columns: ['B:5060', 'P:5060', 'A:5060'] });
    expect(l.rows[0]).toMatchObject({ from: 2, to: 1, x1: 250, x2: 150 });
  });

  it('leaves out hidden legs and packs the remaining rows', () => {
    const l = layoutLadder(messages, { ...base, hiddenLegs: new Set([0]) });
    expect(l.rows.map((r) => [r.message, r.y])).toEqual([
      [1, 0],
      [2, 20],
    ]);
  });

  it('leaves out messages that touch a hidden column', () => {
    const l = layoutLadder(messages, { ...base, columns: ['A:5060', 'P:5060'] });
    expect(l.rows.map((r) => r.message)).toEqual([0, 3]);
  });

  it('keeps only the chosen side', () => {
    expect(layoutLadder(messages, { ...base, sideMode: 'callee' }).rows.map((r) => r.message)).toEqual([1, 2]);
    expect(layoutLadder(messages, { ...base, sideMode: 'caller' }).rows.map((r) => r.message)).toEqual([0, 3]);
  });

  it('draws a loop when both ends fall in one grouped column', () => {
    const byIp = new Map([
      ['A:5060', 'A'],
      ['P:5060', 'P'],
      ['P:5070', 'P'],
    ]);
    const l = layoutLadder([{ leg: 0, src: 'P:5060', dst: 'P:5070' }], { ...base, keyOf: byIp, columns: ['A', 'P'], sides: ['other'] });
    expect(l.rows[0]).toMatchObject({ self: true, from: 1, to: 1 });
  });
});
