import { describe, it, expect } from 'vitest';
import { planGrouping, type GroupingPlan, type Linked } from './grouping.ts';

/** A message of Call-ID `callId` whose links name `targets`. */
function msg(callId: string, ...targets: string[]): Linked {
  return { callId, links: targets.map((target) => ({ target })) };
}

/** The store before the batch: group id → the ids it holds. */
function storeOf<G extends number | string>(groups: [G, string[]][]) {
  const groupOf = new Map<string, G>();
  for (const [g, keys] of groups) for (const k of keys) groupOf.set(k, g);
  const size = new Map(groups.map(([g, keys]) => [g, keys.length]));
  return { groupOf: (k: string) => groupOf.get(k), sizeOf: (g: G) => size.get(g)! };
}

/** Sorted copies, so that plans compare whatever order the batch named things in. */
function canonical<G>(p: GroupingPlan<G>) {
  return {
    created: p.created.map((ks) => [...ks].sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    merges: p.merges.map((m) => ({ ...m, absorbed: [...m.absorbed].sort(), joined: [...m.joined].sort() }))
      .sort((a, b) => Number(a.into) - Number(b.into)),
  };
}

describe('planGrouping', () => {
  it('makes a group of its own for each new Call-ID that names nothing', () => {
    const plan = planGrouping([msg('a'), msg('b'), msg('a')], storeOf<number>([]));
    expect(canonical(plan)).toEqual({ created: [['a'], ['b']], merges: [] });
  });

  it('makes one group of new ids linked among themselves, the link targets included', () => {
    // a ─► x ◄─ b
    const plan = planGrouping([msg('a', 'x'), msg('b', 'x')], storeOf<number>([]));
    expect(canonical(plan)).toEqual({ created: [['a', 'b', 'x']], merges: [] });
  });

  it('adds a new call to the existing group its link names', () => {
    // group 7 {a, x};  b ─► x
    const plan = planGrouping([msg('b', 'x')], storeOf<number>([[7, ['a', 'x']]]));
    expect(plan).toEqual({ created: [], merges: [{ into: 7, absorbed: [], joined: ['b'], added: 1 }] });
  });

  it('changes nothing for ids whose groups already hold them together', () => {
    const plan = planGrouping([msg('a', 'x'), msg('a')], storeOf<number>([[3, ['a', 'x']]]));
    expect(plan).toEqual({ created: [], merges: [] });
  });

  it('merges two existing groups when a late link arrives, the smaller into the bigger', () => {
    // group 1 {a}, group 2 {b, b2, x};  a ─► x
    const plan = planGrouping([msg('a', 'x')], storeOf<number>([[1, ['a']], [2, ['b', 'b2', 'x']]]));
    expect(plan).toEqual({ created: [], merges: [{ into: 2, absorbed: [1], joined: [], added: 1 }] });
  });

  it('keeps the older group when sizes tie, whichever side the link comes from', () => {
    const store = storeOf<number>([[4, ['a']], [9, ['b']]]);
    const expected = { created: [], merges: [{ into: 4, absorbed: [9], joined: [], added: 1 }] };
    expect(planGrouping([msg('a', 'b')], store)).toEqual(expected);
    expect(planGrouping([msg('b', 'a')], store)).toEqual(expected);
  });

  it('compares group ids as numbers when the store hands them as strings', () => {
    const plan = planGrouping([msg('a', 'b')], storeOf<string>([['10', ['a']], ['9', ['b']]]));
    expect(plan.merges).toEqual([{ into: '9', absorbed: ['10'], joined: [], added: 1 }]);
  });

  it('plans the same merges in any link order', () => {
    // group 1 {a}, group 2 {b, b2}, group 3 {c};  new d, e:  a ─► b,  c ─► d,  d ─► b2,  e ─► c
    const store = storeOf<number>([[1, ['a']], [2, ['b', 'b2']], [3, ['c']]]);
    const batch = [msg('a', 'b'), msg('c', 'd'), msg('d', 'b2'), msg('e', 'c')];
    const expected = { created: [], merges: [{ into: 2, absorbed: [1, 3], joined: ['d', 'e'], added: 4 }] };
    for (const order of permutations(batch)) expect(canonical(planGrouping(order, store))).toEqual(expected);
  });

  it('follows a chain of links across messages into one group', () => {
    // a ─► b ─► c ─► d, with b and d in groups of 1 and 2 ids
    const store = storeOf<number>([[5, ['b']], [6, ['d', 'd2']]]);
    const plan = planGrouping([msg('c', 'd'), msg('a', 'b'), msg('b', 'c')], store);
    expect(canonical(plan)).toEqual({ created: [], merges: [{ into: 6, absorbed: [5], joined: ['a', 'c'], added: 3 }] });
  });

  it('ignores a link from a Call-ID to itself', () => {
    expect(planGrouping([msg('a', 'a')], storeOf<number>([]))).toEqual({ created: [['a']], merges: [] });
    expect(planGrouping([msg('a', 'a')], storeOf<number>([[1, ['a']]]))).toEqual({ created: [], merges: [] });
  });

  it('keeps unrelated groups apart in one batch', () => {
    // group 1 {a}, group 2 {b};  c ─► a,  d ─► b
    const plan = planGrouping([msg('c', 'a'), msg('d', 'b')], storeOf<number>([[1, ['a']], [2, ['b']]]));
    expect(canonical(plan)).toEqual({ created: [], merges: [
      { into: 1, absorbed: [], joined: ['c'], added: 1 }, { into: 2, absorbed: [], joined: ['d'], added: 1 }] });
  });
});

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
