/**
 * Query-time correlation for rows hepflow did not group at ingest (heplify-server wrote them):
 * from one id, follow correlation_id, Call-IDs and the links in each message's SIP headers
 * (Replaces, Refer-To with Replaces, X-CID, "_b2b-N", Session-ID, icid-value, the config file's
 * correlationRules), in both directions, transitively, within a
 * bounded time window. homer-app looks one hop away only; this closes the set. Pure: the store
 * reads rows through RowSource.
 */
import { PROTO_TYPE } from '../hep/chunks.ts';
import { parseSip } from '../sip/parse.ts';
import { linksOf, type LinkOptions } from './links.ts';
import type { EpochMicros, GroupRecord, StoredLink, StoredMessage } from '../store/types.ts';

/** Other legs are looked for this long before the group's first message, µs (homer-app lookup_range -300 s). */
export const LOOKBACK_MICROS = 300_000_000;
/** Messages of a known Call-ID are looked for this long after the group's last one, µs: a call's length. */
export const CALL_SPAN_MICROS = 6 * 3_600_000_000;
/** At most this many rounds of lookups and ids per group, so a pathological id cannot fan out forever. */
const MAX_ROUNDS = 8;
const MAX_IDS = 500;

/** The database side of the closure, every query bounded by time. */
export interface RowSource {
  /** Time of some row with sid or correlation_id = id, null when none. */
  seedTime(id: string): Promise<EpochMicros | null>;
  /**
   * Rows within [from, to] whose sid is one of `ids` or `<id>_b2b-N`, or whose correlation_id is
   * one of `ids`, plus INVITE/REFER rows whose raw names one of `ids` (Replaces, Refer-To, X-CID);
   * read as messages.
   */
  rowsNaming(ids: string[], from: EpochMicros, to: EpochMicros): Promise<StoredMessage[]>;
  /** The store's message order: by time, then as the rows were written. */
  order(a: StoredMessage, b: StoredMessage): number;
}

export interface Closure {
  record: GroupRecord;
  start: EpochMicros;
  end: EpochMicros;
}

/**
 * The group of `id`, or null when no row names it. A shared value (a Session-ID UUID, an
 * icid-value, a user rule's capture) is followed like an id: rowsNaming finds the INVITEs that
 * carry it in their text.
 */
export async function closeGroup(src: RowSource, id: string, opts: LinkOptions): Promise<Closure | null> {
  const { correlationHeaders } = opts;
  const t = await src.seedTime(id);
  if (t === null) return null;
  let lo = t;
  let hi = t;
  const ids = new Set([id]);
  const rows = new Map<string, StoredMessage>();
  const links = new Map<string, StoredLink>();
  let frontier = [id];
  for (let round = 0; round < MAX_ROUNDS && frontier.length && ids.size < MAX_IDS; round++) {
    const found = await src.rowsNaming(frontier, lo - LOOKBACK_MICROS, hi + CALL_SPAN_MICROS);
    const next = new Set<string>();
    const add = (x: string) => { if (!ids.has(x) && ids.size + next.size < MAX_IDS) next.add(x); };
    const known = (x: string | null) => x !== null && (ids.has(x) || next.has(x));
    // A row found by searching its text for an id (LIKE '%id%') may only contain it by chance
    // ("core9" inside "core9-legX"): it belongs when its Call-ID, correlation id or a link names
    // an id of the group. Rows that name an id found later in this round are taken on a later pass.
    let candidates = found.filter((m) => !rows.has(m.id))
      .map((m) => ({ m, own: m.protoType === PROTO_TYPE.sip ? linksOf(parseSip(m.raw, { correlationHeaders }), m.hepCorrelationId, opts) : [] }));
    for (let taken = true; taken;) {
      taken = false;
      const left: typeof candidates = [];
      for (const c of candidates) {
        if (rows.has(c.m.id)) continue;
        if (known(c.m.callId) || known(c.m.hepCorrelationId) || c.own.some((l) => known(l.target))) {
          accept(c.m, c.own);
          taken = true;
        } else left.push(c);
      }
      candidates = left;
    }
    function accept(m: StoredMessage, own: ReturnType<typeof linksOf>): void {
      rows.set(m.id, m);
      add(m.callId);
      for (const l of own) {
        // heplify puts an X-CID value in correlation_id too: keep the header's reason, not both.
        if (l.rule === 'hep-correlation-id' && own.some((o) => o !== l && o.target === l.target)) continue;
        const key = `${m.callId}\u0000${l.target}\u0000${l.rule}`;
        const prev = links.get(key);
        if (!prev || m.ts < prev.ts) links.set(key, { callId: m.callId, target: l.target, rule: l.rule, header: l.header, value: l.value, messageId: m.id, ts: m.ts });
        add(l.target);
      }
    }
    for (const m of rows.values()) { lo = Math.min(lo, m.ts); hi = Math.max(hi, m.ts); }
    for (const x of next) ids.add(x);
    frontier = [...next];
  }
  if (!rows.size) return null;
  const messages = [...rows.values()].sort((a, b) => src.order(a, b));
  const firstTs = new Map<string, number>();
  for (const m of messages) if (!firstTs.has(m.callId)) firstTs.set(m.callId, m.ts);
  const callIds = [...firstTs.keys()];
  const linkList = [...links.values()].sort((a, b) => a.ts - b.ts || (a.messageId < b.messageId ? -1 : 1));
  const targets = new Set(linkList.map((l) => l.target));
  if (!firstTs.has(id)) targets.add(id);
  return {
    record: {
      groupId: callIds[0], callIds, correlationIds: [...targets].filter((x) => !firstTs.has(x)),
      messages, links: linkList,
    },
    start: lo,
    end: hi,
  };
}
