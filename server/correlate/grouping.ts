/**
 * Grouping at insert, as a plan a store writes. Every Call-ID and every correlation id belongs to
 * one group; a link unites the groups of its two ids. Union by size: the biggest group of those a
 * batch unites stays and takes in the others' ids, so a late link merging two groups that already
 * exist costs the smaller side only. Pure: the store answers where ids are now (GroupPort) and
 * writes the plan with its own statements.
 */

/** What grouping reads of a message: its Call-ID and the ids its links name. */
export interface Linked {
  callId: string;
  links: readonly { target: string }[];
}

/**
 * Where ids are before the batch, as the store holds them. `G` is a group's id, numeric (as a
 * number or a bigint's decimal string): a lower id is an older group.
 */
export interface GroupPort<G> {
  /** The group holding `key`, undefined when no group does. */
  groupOf(key: string): G | undefined;
  /** How many ids group `g` holds. */
  sizeOf(g: G): number;
}

export interface GroupingPlan<G> {
  /** Groups to make, each with its ids: ids no group held, linked only among themselves. */
  created: string[][];
  /** Existing groups that take in other groups or new ids. */
  merges: Merge<G>[];
}

export interface Merge<G> {
  /** The group that stays: the biggest of those united, the oldest on a tie (whatever the link order). */
  into: G;
  /** Groups whose ids all move into `into`; they are then empty. */
  absorbed: G[];
  /** Ids no group held that join `into`. */
  joined: string[];
  /** Ids `into` gains: the absorbed groups' sizes plus the joined ids. */
  added: number;
}

/** One existing group, or one id no group holds, in the batch's union-find. */
interface Node<G> {
  up: Node<G> | null;
  group: G | undefined;
  size: number;
}

/** The groups `batch` leaves: every Call-ID and link target placed, every link's two sides in one group. */
export function planGrouping<G extends number | string>(batch: Iterable<Linked>, port: GroupPort<G>): GroupingPlan<G> {
  const ofKey = new Map<string, Node<G>>();
  const ofGroup = new Map<G, Node<G>>();
  const place = (key: string): Node<G> => {
    let n = ofKey.get(key);
    if (n === undefined) {
      const g = port.groupOf(key);
      if (g === undefined) n = { up: null, group: undefined, size: 0 };
      else if ((n = ofGroup.get(g)) === undefined) ofGroup.set(g, (n = { up: null, group: g, size: port.sizeOf(g) }));
      ofKey.set(key, n);
    }
    return root(n);
  };
  for (const m of batch) {
    const a = place(m.callId);
    // `a` stays a root: each other side's root is hung under it.
    for (const l of m.links) {
      const b = place(l.target);
      if (b !== a) b.up = a;
    }
  }

  const parts = new Map<Node<G>, { groups: Node<G>[]; fresh: string[] }>();
  const part = (n: Node<G>) => {
    const r = root(n);
    let p = parts.get(r);
    if (p === undefined) parts.set(r, (p = { groups: [], fresh: [] }));
    return p;
  };
  for (const n of ofGroup.values()) part(n).groups.push(n);
  for (const [key, n] of ofKey) if (n.group === undefined) part(n).fresh.push(key);

  const plan: GroupingPlan<G> = { created: [], merges: [] };
  for (const { groups, fresh } of parts.values()) {
    if (!groups.length) { plan.created.push(fresh); continue; }
    if (groups.length === 1 && !fresh.length) continue;
    let into = groups[0];
    for (const g of groups) if (g.size > into.size || (g.size === into.size && Number(g.group) < Number(into.group))) into = g;
    const absorbed: G[] = [];
    let added = fresh.length;
    for (const g of groups) {
      if (g === into) continue;
      absorbed.push(g.group!);
      added += g.size;
    }
    plan.merges.push({ into: into.group!, absorbed, joined: fresh, added });
  }
  return plan;
}

/** The root of `n`'s set, shortening the path to it on the way. */
function root<G>(n: Node<G>): Node<G> {
  let r = n;
  while (r.up !== null) r = r.up;
  while (n.up !== null && n.up !== r) {
    const next: Node<G> = n.up;
    n.up = r;
    n = next;
  }
  return r;
}
