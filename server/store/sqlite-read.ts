/**
 * The SQLite reads: search over the groups' search rows, a group's messages and links, single
 * messages and requests by method. Prepared once per connection.
 */
import type Database from 'better-sqlite3';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { GROUP_COLUMNS, MESSAGE_COLUMNS, META_COLUMNS, toGroupRow, toLink, toMessage, toMeta, type GroupRow } from './sqlite-rows.ts';
import type {
  CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, GroupSummary, StoreCounts, StoredMessage,
} from './types.ts';
import { escapeNul } from '../collector/storable.ts';
import { kpiConditions, kpiFields, scenariosOf, type ScenarioRow } from './summary.ts';
import type { ScenarioKind, ScenarioLink } from '../correlate/scenario-kind.ts';

type Row = Record<string, any>;

/** Groups of the calls with a search term: kind ('user', 'ip') and value are its parameters. */
export const GROUPS_OF_TERM = `SELECT i.group_id FROM terms t JOIN ids i ON i.call = t.call WHERE t.kind = ? AND t.term = ?`;

/** What a search row holds besides its group's row, as read after the group's last message (`messages`, `end`). */
interface Members {
  messages: number;
  end: number;
  callIds: string[];
  correlationIds: string[];
  scenario: ScenarioKind;
}

/** Groups whose Members are kept, at most: a page of 500 rows refetched each second by a few dozen lists. */
const MEMBERS_CACHED = 20_000;

export class SqliteReads {
  private readonly st;
  private readonly requestStatements = new Map<string, Database.Statement>();
  /** Groups rows' id → what their search rows add to them (readMembers). */
  private readonly members = new Map<number, Members>();

  constructor(private readonly db: Database.Database) {
    this.st = {
      idGet: db.prepare(`SELECT group_id FROM ids WHERE key = ?`),
      groupSize: db.prepare(`SELECT g.messages FROM ids i JOIN groups g ON g.id = i.group_id WHERE i.key = ?`).pluck(),
      groupGet: db.prepare(`SELECT ${GROUP_COLUMNS.join(', ')} FROM groups WHERE id = ?`).raw(true),
      // The ids of a page of groups (a JSON array of group ids) in one statement: one per row cost
      // a search of 500 rows 4.5 ms of its 8.5 (bench/live's search lists run one a second each).
      pageIds: db.prepare(`SELECT i.group_id, i.key, i.call FROM json_each(?) j JOIN ids i ON i.group_id = j.value
        ORDER BY i.group_id, i.key`),
      // Rows as arrays (.raw): several times faster than objects for a 20,000-message group.
      groupMessages: db.prepare(`SELECT ${MESSAGE_COLUMNS.map((c) => 'm.' + c).join(', ')} FROM ids i
        JOIN messages m ON m.call = i.call WHERE i.group_id = ? ORDER BY m.ts, m.id`).raw(true),
      // LIMIT -1 is no limit. Without the payload (the view never sends it) a 20,000-message group
      // reads a quarter faster with bench/ui's 360-byte messages, and more with real SIP and SDP.
      groupMetas: db.prepare(`SELECT ${META_COLUMNS.map((c) => 'm.' + c).join(', ')} FROM ids i
        JOIN messages m ON m.call = i.call WHERE i.group_id = ? ORDER BY m.ts, m.id LIMIT ?`).raw(true),
      payloads: db.prepare(`SELECT id, raw FROM messages WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      groupLinks: db.prepare(`SELECT l.* FROM ids i JOIN links l ON l.call_id = i.key WHERE i.group_id = ? ORDER BY l.ts, l.message_id`),
      message: db.prepare(`SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages WHERE id = ?`).raw(true),
      // What the scenario kinds of a page of groups read (summary.ts scenarioOf): their calls' rows,
      // earliest first, and their links; one statement each for the page (a JSON array of group
      // ids), three times faster than two per group (bench/query's 100-row page: 0.5 ms).
      scenarioCalls: db.prepare(`SELECT i.group_id AS "group", c.call_id, c.callee, c.setup_ms FROM json_each(?) j
        JOIN ids i ON i.group_id = j.value JOIN calls c ON c.id = i.call ORDER BY c.start, c.call_id`),
      scenarioLinks: db.prepare(`SELECT i.group_id AS "group", l.call_id AS callId, l.target, l.rule, l.value FROM json_each(?) j
        JOIN ids i ON i.group_id = j.value JOIN links l ON l.call_id = i.key`),
    };
  }

  searchGroups(q: CallQuery): GroupPage {
    const where: string[] = ['g.start IS NOT NULL'];
    const args: unknown[] = [];
    const now = Date.now() * 1000; // the clock kpiFields and kpiConditions read Timer B with
    if (q.from !== undefined) {
      // Pages are read newest first along the start index; when no group ends after `from`
      // that walk would cover the whole table to find nothing, so ask the end index first.
      if (!this.db.prepare('SELECT 1 FROM groups WHERE end >= ? LIMIT 1').get(q.from)) return { items: [], next: null };
      where.push('g.end >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) { where.push('g.start <= ?'); args.push(q.to); }
    for (const id of [q.callId, q.correlationId]) {
      if (id) { where.push('g.id IN (SELECT group_id FROM ids WHERE key = ?)'); args.push(id); }
    }
    const byTerm = GROUPS_OF_TERM;
    if (q.user) { where.push(`g.id IN (${byTerm})`); args.push('user', q.user); }
    if (q.ip) { where.push(`g.id IN (${byTerm})`); args.push('ip', q.ip); }
    if (q.method) {
      where.push('EXISTS (SELECT 1 FROM ids i JOIN messages m ON m.call = i.call WHERE i.group_id = g.id AND m.method = ?)');
      args.push(q.method.toUpperCase());
    }
    if (q.status !== undefined) {
      where.push('EXISTS (SELECT 1 FROM ids i JOIN messages m ON m.call = i.call WHERE i.group_id = g.id AND m.status = ?)');
      args.push(q.status);
    }
    if (q.q) {
      // Free text: any id, a user, or an address.
      where.push(`g.id IN (SELECT group_id FROM ids WHERE key = ? UNION ${byTerm} UNION ${byTerm})`);
      args.push(q.q, 'user', q.q, 'ip', q.q);
    }
    // KPIs: disposition and problem walk an index of their own (sqlite-schema.ts, migration 2); the
    // ms bounds are checked on each group along the one walked, as method and status are.
    where.push(...kpiConditions(q, now, (v) => { args.push(v); return '?'; }));
    if (q.minPddMs !== undefined) { where.push('g.pdd_ms >= ?'); args.push(q.minPddMs); }
    if (q.minDurationMs !== undefined) { where.push('g.duration_ms >= ?'); args.push(q.minDurationMs); }
    if (q.maxDurationMs !== undefined) { where.push('g.duration_ms <= ?'); args.push(q.maxDurationMs); }
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (cursor) {
      where.push('(g.start < ? OR (g.start = ? AND g.id < ?))');
      args.push(cursor.start, cursor.start, cursor.id);
    }
    const rows = (this.db.prepare(`SELECT ${GROUP_COLUMNS.map((c) => 'g.' + c).join(', ')} FROM groups g WHERE ${where.join(' AND ')}
      ORDER BY g.start DESC, g.id DESC LIMIT ?`).raw(true).all(...args, q.limit + 1) as unknown[][]).map(toGroupRow);
    const page = rows.slice(0, q.limit);
    this.readMembers(page);
    const items = page.map((g) => this.summary(g, this.members.get(g.id)!, now));
    const last = page[page.length - 1];
    return { items, next: rows.length > q.limit && last ? encodeCursor({ start: last.start, id: last.id }) : null };
  }

  /**
   * Reads into `members` what the groups rows of `page` do not hold (their ids, their scenario
   * kind), for those not read since their last message: a live search list asks for the same
   * 500 rows every second, most of them unchanged. One statement each for the whole page.
   */
  private readMembers(page: GroupRow[]): void {
    let stale = page.filter((g) => { const m = this.members.get(g.id); return !m || m.messages !== g.messages || m.end !== g.end; });
    if (!stale.length) return;
    if (this.members.size + stale.length > MEMBERS_CACHED) {
      this.members.clear();
      stale = page;
    }
    const json = JSON.stringify(stale.map((g) => g.id));
    const kinds = scenariosOf(this.st.scenarioCalls.all(json) as (ScenarioRow & { group: number })[],
      this.st.scenarioLinks.all(json) as (ScenarioLink & { group: number })[]);
    const ids = new Map<number, Row[]>();
    for (const r of this.st.pageIds.all(json) as Row[]) {
      const list = ids.get(r.group_id);
      if (list) list.push(r);
      else ids.set(r.group_id, [r]);
    }
    for (const g of stale) {
      const own = ids.get(g.id) ?? [];
      this.members.set(g.id, {
        messages: g.messages, end: g.end, scenario: kinds.get(g.id) ?? 'basic',
        callIds: own.filter((r) => r.call !== null).map((r) => r.key), correlationIds: own.filter((r) => r.call === null).map((r) => r.key),
      });
    }
  }

  private summary(g: GroupRow, m: Members, nowMicros: number): GroupSummary {
    return {
      groupId: g.first_call,
      callIds: m.callIds,
      correlationIds: m.correlationIds,
      start: g.start,
      end: g.end,
      caller: g.caller,
      callee: g.callee,
      status: g.status,
      method: g.method,
      messages: g.messages,
      ...kpiFields(g, g.start, nowMicros),
      scenario: m.scenario,
    };
  }

  getGroup(id: string): GroupRecord | null {
    const g = this.groupOf(id);
    return g ? { ...g.head, messages: (this.st.groupMessages.all(g.key) as unknown[][]).map(toMessage) } : null;
  }

  getGroupSlice(id: string, limit?: number): GroupSlice | null {
    const g = this.groupOf(id);
    if (!g) return null;
    // One row past the limit says whether more follow.
    const rows = this.st.groupMetas.all(g.key, limit === undefined ? -1 : limit + 1) as unknown[][];
    const complete = limit === undefined || rows.length <= limit;
    return { ...g.head, messages: (complete ? rows : rows.slice(0, limit)).map(toMeta), complete };
  }

  /** Messages stored in the group of `id` (the count kept at insert), null when unknown: one index lookup, to tell a large view from a small one before reading it. */
  groupSize(id: string): number | null {
    return (this.st.groupSize.get(escapeNul(id)) as number | undefined) ?? null;
  }

  getPayloads(ids: readonly string[]): Map<string, string> {
    const rowIds = ids.filter((id) => /^\d+$/.test(id)).map(Number);
    if (!rowIds.length) return new Map();
    const rows = this.st.payloads.all(JSON.stringify(rowIds)) as [number, string][];
    return new Map(rows.map(([id, raw]) => [String(id), raw]));
  }

  /** The group row of `id` and what every group read answers besides messages. */
  private groupOf(asSent: string): { key: number; head: Omit<GroupRecord, 'messages'> } | null {
    const id = escapeNul(asSent); // ids are stored with NUL escaped (collector/storable.ts)
    const row = this.st.idGet.get(id) as Row | undefined;
    if (!row) return null;
    const g = toGroupRow(this.st.groupGet.get(row.group_id) as unknown[]);
    this.readMembers([g]);
    const s = this.summary(g, this.members.get(g.id)!, Date.now() * 1000);
    return {
      key: row.group_id,
      head: {
        groupId: s.groupId ?? id,
        callIds: s.callIds,
        correlationIds: s.correlationIds,
        links: (this.st.groupLinks.all(row.group_id) as Row[]).map(toLink),
        scenario: s.scenario,
      },
    };
  }

  getMessage(id: string): StoredMessage | null {
    if (!/^\d+$/.test(id)) return null;
    const row = this.st.message.get(Number(id)) as unknown[] | undefined;
    return row ? toMessage(row) : null;
  }

  findRequests(method: string, since: EpochMicros, until: EpochMicros): StoredMessage[] {
    // The method is written into the SQL so that the partial index on REFERs applies; it is a
    // SIP token, checked here, never free text.
    if (!/^[A-Z]+$/.test(method)) throw new Error(`not a SIP method: ${method}`);
    const st = this.requestStatements.get(method) ?? this.db.prepare(`SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages
      WHERE method = '${method}' AND ts BETWEEN ? AND ? ORDER BY ts, id`).raw(true);
    this.requestStatements.set(method, st);
    return (st.all(since, until) as unknown[][]).map(toMessage);
  }

  counts(): StoreCounts {
    const one = (sql: string) => (this.db.prepare(sql).get() as Row).n as number;
    return {
      messages: one('SELECT count(*) n FROM messages'),
      calls: one('SELECT count(*) n FROM calls'),
      groups: one('SELECT count(*) n FROM groups WHERE start IS NOT NULL'),
    };
  }
}
