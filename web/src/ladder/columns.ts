/**
 * Ladder columns: endpoints grouped by the chosen mode, in the user's order.
 * Pure: endpoint and message records in, column definitions out.
 */
export type Grouping = 'ip:port' | 'ip' | 'alias';
export const GROUPINGS: readonly Grouping[] = ['ip:port', 'ip', 'alias'];

export interface EndpointLike {
  /** "ip:port", "[v6]:port" for IPv6. */
  id: string;
  ip: string;
  port: number;
  alias: string | null;
}

export interface ColumnDef {
  /** The column key and label: ip:port, ip, or alias (ip when the endpoint has no alias). */
  key: string;
  /** Endpoint ids folded into this column, in first-seen order. */
  endpoints: string[];
  /** Aliases of those endpoints, without repeats. */
  aliases: string[];
}

/** The column key of one endpoint under a grouping mode. */
export function columnKey(ep: EndpointLike, grouping: Grouping): string {
  if (grouping === 'ip') return ep.ip;
  if (grouping === 'alias') return ep.alias ?? ep.ip;
  return ep.id;
}

/**
 * Columns in default order: by first appearance as source or destination in `messages`
 * (assumed in time order), then endpoints no message touches, in the order given.
 */
export function groupColumns(
  endpoints: readonly EndpointLike[],
  messages: readonly { src: string; dst: string }[],
  grouping: Grouping,
): ColumnDef[] {
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const seen: string[] = [];
  const seenSet = new Set<string>();
  const note = (id: string) => {
    if (!seenSet.has(id)) {
      seenSet.add(id);
      seen.push(id);
    }
  };
  for (const m of messages) {
    note(m.src);
    note(m.dst);
  }
  for (const e of endpoints) note(e.id);
  const cols = new Map<string, ColumnDef>();
  for (const id of seen) {
    const ep = byId.get(id) ?? parseEndpointId(id);
    const key = columnKey(ep, grouping);
    let col = cols.get(key);
    if (!col) {
      col = { key, endpoints: [], aliases: [] };
      cols.set(key, col);
    }
    col.endpoints.push(id);
    if (ep.alias && !col.aliases.includes(ep.alias)) col.aliases.push(ep.alias);
  }
  return [...cols.values()];
}

/** Endpoint id → column key map for a set of columns. */
export function keyIndex(columns: readonly ColumnDef[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of columns) for (const id of c.endpoints) out.set(id, c.key);
  return out;
}

/**
 * Applies a user order: keys listed in `order` that exist come first, in that order; the rest
 * follow in default order. Unknown keys in `order` are ignored (a link made in another mode).
 */
export function applyOrder(defaultKeys: readonly string[], order: readonly string[]): string[] {
  const known = new Set(defaultKeys);
  const listed = order.filter((k, i) => known.has(k) && order.indexOf(k) === i);
  const listedSet = new Set(listed);
  return [...listed, ...defaultKeys.filter((k) => !listedSet.has(k))];
}

/** Moves `key` to position `to` (0-based, clamped); returns a new array. */
export function moveKey(keys: readonly string[], key: string, to: number): string[] {
  const from = keys.indexOf(key);
  if (from === -1) return [...keys];
  const out = keys.filter((k) => k !== key);
  const at = Math.max(0, Math.min(out.length, to));
  out.splice(at, 0, key);
  return out;
}

/** Reads "1.2.3.4:5060" or "[::1]:5060" into an endpoint without alias. */
export function parseEndpointId(id: string): EndpointLike {
  const v6 = /^\[(.*)\]:(\d+)$/.exec(id);
  if (v6) return { id, ip: v6[1], port: Number(v6[2]), alias: null };
  const i = id.lastIndexOf(':');
  if (i === -1) return { id, ip: id, port: 0, alias: null };
  return { id, ip: id.slice(0, i), port: Number(id.slice(i + 1)), alias: null };
}

/**
 * Moves `key` to position `to` among the visible keys only; hidden keys keep their slots in the
 * full order. Returns the new full order.
 */
export function moveVisible(order: readonly string[], hidden: ReadonlySet<string>, key: string, to: number): string[] {
  const visible = moveKey(
    order.filter((k) => !hidden.has(k)),
    key,
    to,
  );
  let v = 0;
  return order.map((k) => (hidden.has(k) ? k : visible[v++]));
}
