/**
 * Caller side / callee side of every message, relative to a pivot column: what OpenSIPS's C/c tracing flags capture of a chain of servers.
 *
 * For each leg, its initial INVITE is followed hop by hop from its sender to its final receiver;
 * that gives the leg's path of columns [n0, n1, ..., nk]. With the pivot at position p:
 *  - hops 0..p-1 (up to and including the hop that reaches the pivot) are the caller side,
 *  - hops p..k-1 (after the pivot) are the callee side;
 *  so a leg that starts at the pivot (a B2B outbound leg) is all callee side and a leg that ends
 *  at it is all caller side.
 * Every message of the leg, requests and responses, in-dialog ones too, takes the side of the
 * hop it travels on (the hop with the same two columns, in either direction). A message on no
 * hop of its leg's path is 'other'.
 * A leg whose path does not touch the pivot is placed through the other legs: if its last node
 * leads to the pivot along the other legs' paths (and its first node is not reached from the
 * pivot) it is caller side; if its first node is reached from the pivot (and its last node does
 * not lead to it) it is callee side; otherwise 'other'.
 *
 * Pure. Assumes `messages` are in time order; `src`/`dst` are column keys (see columns.ts), so the
 * sides follow the column grouping on screen.
 */
export type Side = 'caller' | 'callee' | 'other';
export type SideMode = 'both' | 'caller' | 'callee';

export interface SideMessage {
  leg: number;
  src: string;
  dst: string;
  /** Request method, null for responses. */
  method: string | null;
}

/**
 * The path of one leg's initial INVITE, as columns. Starts at the sender of the leg's first
 * INVITE (its first request when it has no INVITE) and follows, from the node reached last, the
 * earliest such request that leaves it for a node not yet on the path. Using every INVITE of the
 * leg, not only the first CSeq, lets the path go on after a 401/407 challenge.
 */
export function legPath(legMessages: readonly SideMessage[]): string[] {
  let pool = legMessages.filter((m) => m.method === 'INVITE');
  if (pool.length === 0) {
    const first = legMessages.find((m) => m.method !== null);
    if (!first) return [];
    pool = legMessages.filter((m) => m.method === first.method);
  }
  const path = [pool[0].src];
  const onPath = new Set(path);
  for (;;) {
    const cur = path[path.length - 1];
    const next = pool.find((m) => m.src === cur && !onPath.has(m.dst));
    if (!next) break;
    path.push(next.dst);
    onPath.add(next.dst);
  }
  return path;
}

/** The endpoint (or column) that receives the group's first INVITE, else its first request. */
export function defaultPivot(messages: readonly { method: string | null; dst: string }[]): string | null {
  const invite = messages.find((m) => m.method === 'INVITE') ?? messages.find((m) => m.method !== null);
  return invite ? invite.dst : null;
}

/**
 * The side of every message (same indexes as `messages`) for a pivot column. With `keyOf`,
 * `src`/`dst` are endpoint ids and are read as their columns (ids it lacks are their own
 * column), so a caller passes its messages as they are instead of a re-keyed copy of each.
 */
export function computeSides(messages: readonly SideMessage[], pivot: string | null, keyOf?: ReadonlyMap<string, string>): Side[] {
  const col = keyOf === undefined ? (id: string) => id : (id: string) => keyOf.get(id) ?? id;
  // A leg's path only needs its INVITEs (legPath), so only those are gathered, re-keyed; a leg
  // without any INVITE gets all its messages in a second pass (rare: MESSAGE, OPTIONS pings).
  const pools = new Map<number, SideMessage[]>();
  for (const m of messages) {
    let pool = pools.get(m.leg);
    if (!pool) pools.set(m.leg, (pool = []));
    if (m.method === 'INVITE') pool.push({ leg: m.leg, src: col(m.src), dst: col(m.dst), method: m.method });
  }
  const noInvite = new Set([...pools].filter(([, pool]) => pool.length === 0).map(([leg]) => leg));
  if (noInvite.size > 0) {
    for (const m of messages) if (noInvite.has(m.leg)) pools.get(m.leg)!.push({ leg: m.leg, src: col(m.src), dst: col(m.dst), method: m.method });
  }
  const paths = new Map<number, string[]>();
  for (const [leg, pool] of pools) paths.set(leg, legPath(pool));

  const { upstream, downstream } = reach(pivot, [...paths.values()]);
  // Per leg: source column → destination column → side, both directions of every hop.
  const hopSides = new Map<number, Map<string, Map<string, Side>>>();
  for (const [leg, path] of paths) {
    const hops = new Map<string, Map<string, Side>>();
    const set = (a: string, b: string, side: Side) => {
      let to = hops.get(a);
      if (!to) hops.set(a, (to = new Map()));
      to.set(b, side);
    };
    const p = pivot === null ? -1 : path.indexOf(pivot);
    const whole = p === -1 ? detachedLegSide(path, upstream, downstream) : null;
    for (let i = 0; i + 1 < path.length; i++) {
      const side: Side = whole ?? (i < p ? 'caller' : 'callee');
      set(path[i], path[i + 1], side);
      set(path[i + 1], path[i], side);
    }
    hopSides.set(leg, hops);
  }
  const out = new Array<Side>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    out[i] = hopSides.get(m.leg)?.get(col(m.src))?.get(col(m.dst)) ?? 'other';
  }
  return out;
}

/** True when a message of side `side` is shown under side mode `mode`. */
export function sideVisible(side: Side, mode: SideMode): boolean {
  return mode === 'both' || side === mode;
}

function detachedLegSide(path: readonly string[], upstream: Set<string>, downstream: Set<string>): Side {
  if (path.length < 2) return 'other';
  const first = path[0];
  const last = path[path.length - 1];
  const leadsIn = upstream.has(last);
  const comesOut = downstream.has(first);
  if (leadsIn && !comesOut) return 'caller';
  if (comesOut && !leadsIn) return 'callee';
  return 'other';
}

/** Nodes that lead to the pivot (upstream) and nodes reached from it (downstream) along the paths. */
function reach(pivot: string | null, paths: readonly string[][]): { upstream: Set<string>; downstream: Set<string> } {
  const fwd = new Map<string, string[]>();
  const back = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, a: string, b: string) => {
    const l = m.get(a);
    if (l) l.push(b);
    else m.set(a, [b]);
  };
  for (const path of paths) {
    for (let i = 0; i + 1 < path.length; i++) {
      add(fwd, path[i], path[i + 1]);
      add(back, path[i + 1], path[i]);
    }
  }
  const walk = (edges: Map<string, string[]>): Set<string> => {
    const seen = new Set<string>();
    if (pivot === null) return seen;
    const todo = [pivot];
    while (todo.length > 0) {
      const n = todo.pop()!;
      for (const next of edges.get(n) ?? []) {
        if (next !== pivot && !seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    return seen;
  };
  return { upstream: walk(back), downstream: walk(fwd) };
}
