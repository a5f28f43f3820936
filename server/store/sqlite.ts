/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). Inserts run in one transaction per
 * batch; groups are maintained at insert (see sqlite-schema.ts for the model).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './sqlite-schema.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { newCall, updateCall, type CallSummary } from './summary.ts';
import type {
  CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, GroupSummary, MessageInput, MessageMeta, Store,
  StoreCounts, StoredLink, StoredMessage,
} from './types.ts';
import type { LinkRule } from '../correlate/types.ts';
import { escapeNul } from '../collector/storable.ts';

type Row = Record<string, any>;

/** What one insert batch keeps for each call it touches. */
interface Touched {
  call: CallSummary;
  group: number;
  users: string[];
  ips: string[];
}

/** Page cache per connection, KiB. */
const CACHE_KIB = 64 * 1024;

/** Rows deleted per transaction by the retention sweep, so that ingest never waits long. */
const PURGE_CHUNK = 5000;

export interface SqliteOptions {
  /** WAL size, in pages, at which a commit also checkpoints (SQLite's default: 1000). */
  walAutocheckpointPages?: number;
}

export function openSqliteStore(path: string, opts: SqliteOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  const store = new SqliteStore(db);
  if (opts.walAutocheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${opts.walAutocheckpointPages | 0}`);
  return store;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly st;
  private readonly insertTx: (batch: MessageInput[]) => void;
  private readonly requestStatements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across a process crash, fast commits
    db.pragma('busy_timeout = 5000');
    // 64 MiB page cache (SQLite's default is 2 MiB): the Call-ID index is written all over as
    // calls interleave, and re-reading its pages from the OS cost ~20% of ingest (bench/query).
    db.pragma(`cache_size = -${CACHE_KIB}`);
    migrate(db);
    this.st = {
      insertMessage: db.prepare(`INSERT INTO messages (ts, call_id, src_ip, src_port, dst_ip, dst_port, transport,
        capture_id, hep_corr, proto_type, method, status, reason, cseq_num, cseq_method, from_user, from_tag, to_user,
        to_tag, ruri_user, user_agent, via_branch, has_sdp, raw, problems)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertLink: db.prepare(`INSERT OR IGNORE INTO links (call_id, target, rule, header, value, message_id, ts) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      idGet: db.prepare(`SELECT group_id, is_call FROM ids WHERE key = ?`),
      idInsert: db.prepare(`INSERT INTO ids (key, group_id, is_call) VALUES (?, ?, ?)`),
      idMarkCall: db.prepare(`UPDATE ids SET is_call = 1 WHERE key = ?`),
      idsMove: db.prepare(`UPDATE ids SET group_id = ? WHERE group_id = ?`),
      groupNew: db.prepare(`INSERT INTO groups (size) VALUES (1)`),
      groupSize: db.prepare(`SELECT size FROM groups WHERE id = ?`),
      groupAddSize: db.prepare(`UPDATE groups SET size = size + ? WHERE id = ?`),
      groupDelete: db.prepare(`DELETE FROM groups WHERE id = ?`),
      callGet: db.prepare(`SELECT * FROM calls WHERE call_id = ?`),
      callUpsert: db.prepare(`INSERT OR REPLACE INTO calls (call_id, start, end, messages, first_req_ts, method, cseq_num,
        caller, callee, status, status_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      groupCalls: db.prepare(`SELECT c.* FROM ids i JOIN calls c ON c.call_id = i.key WHERE i.group_id = ? ORDER BY c.start, c.call_id`),
      groupSummary: db.prepare(`UPDATE groups SET first_call = ?, start = ?, end = ?, legs = ?, messages = ?, caller = ?,
        callee = ?, method = ?, status = ? WHERE id = ?`),
      groupGet: db.prepare(`SELECT * FROM groups WHERE id = ?`),
      groupIds: db.prepare(`SELECT key, is_call FROM ids WHERE group_id = ?`),
      // Rows as arrays (.raw): several times faster than objects for a 20,000-message group.
      groupMessages: db.prepare(`SELECT ${MESSAGE_COLUMNS.map((c) => 'm.' + c).join(', ')} FROM ids i
        JOIN messages m ON m.call_id = i.key WHERE i.group_id = ? ORDER BY m.ts, m.id`).raw(true),
      // LIMIT -1 is no limit. Without the payload (the view never sends it) a 20,000-message group
      // reads a quarter faster with bench/ui's 360-byte messages, and more with real SIP and SDP.
      groupMetas: db.prepare(`SELECT ${META_COLUMNS.map((c) => 'm.' + c).join(', ')} FROM ids i
        JOIN messages m ON m.call_id = i.key WHERE i.group_id = ? ORDER BY m.ts, m.id LIMIT ?`).raw(true),
      payloads: db.prepare(`SELECT id, raw FROM messages WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      groupLinks: db.prepare(`SELECT l.* FROM ids i JOIN links l ON l.call_id = i.key WHERE i.group_id = ? ORDER BY l.ts, l.message_id`),
      message: db.prepare(`SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages WHERE id = ?`).raw(true),
      insertTerm: db.prepare(`INSERT OR IGNORE INTO terms (kind, term, call_id) VALUES (?, ?, ?)`),
    };
    this.insertTx = db.transaction((batch: MessageInput[]) => this.insertBatch(batch));
  }

  async insert(batch: MessageInput[]): Promise<void> {
    if (batch.length) this.insertTx(batch);
  }

  private insertBatch(batch: MessageInput[]): void {
    // Per call this batch touches: its summary, the group ensureId found it in (valid while no
    // union moved ids), and the search terms already written for it.
    const touched = new Map<string, Touched>();
    // Groups this batch made for one new call, whose summary is that call's own.
    const newGroups = new Set<number>();
    let united = false;
    for (const m of batch) {
      const id = Number(this.st.insertMessage.run(m.ts, m.callId, m.srcIp, m.srcPort, m.dstIp, m.dstPort, m.transport,
        m.captureId, m.hepCorrelationId, m.protoType, m.method, m.status, m.reason, m.cseqNum, m.cseqMethod, m.fromUser,
        m.fromTag, m.toUser, m.toTag, m.ruriUser, m.userAgent, m.viaBranch, m.hasSdp ? 1 : 0, m.raw, m.problems).lastInsertRowid);
      let t = touched.get(m.callId);
      if (t === undefined) { // once per call and batch
        const { group, created } = this.ensureId(m.callId, true);
        if (created) newGroups.add(group);
        const call = created ? newCall(m) : this.st.callGet.get(m.callId) as CallSummary | undefined ?? newCall(m);
        touched.set(m.callId, (t = { call, group, users: [], ips: [] }));
      }
      for (const l of m.links) {
        this.st.insertLink.run(m.callId, l.target, l.rule, l.header, l.value, id, m.ts);
        this.ensureId(l.target, false);
        united = this.union(m.callId, l.target) || united;
      }
      if (m.method) {
        // A response travels its request's hop backwards with the same users: requests name every term.
        this.term('user', m.fromUser, t.users, m.callId);
        this.term('user', m.toUser, t.users, m.callId);
        this.term('ip', m.srcIp, t.ips, m.callId);
        this.term('ip', m.dstIp, t.ips, m.callId);
      }
      updateCall(t.call, m);
    }
    const groups = new Map<number, CallSummary>();
    for (const { call: c, group } of touched.values()) {
      this.st.callUpsert.run(c.call_id, c.start, c.end, c.messages, c.first_req_ts, c.method, c.cseq_num, c.caller,
        c.callee, c.status, c.status_ts);
      // A union may have moved a touched call after its group was read: then read groups again.
      groups.set(united ? (this.st.idGet.get(c.call_id) as Row).group_id : group, c);
    }
    for (const [g, c] of groups) {
      if (!united && newGroups.has(g)) this.writeGroupSummary(g, [c]);
      else this.refreshGroup(g);
    }
  }

  /** Writes search term `value` of `callId` unless `written` (this batch's, for the call) has it. */
  private term(kind: 'user' | 'ip', value: string | null, written: string[], callId: string): void {
    if (!value || written.includes(value)) return;
    written.push(value);
    this.st.insertTerm.run(kind, value, callId);
  }

  /** The group of `key`, made (with `key` as its only id) when the key is new. */
  private ensureId(key: string, isCall: boolean): { group: number; created: boolean } {
    const row = this.st.idGet.get(key) as Row | undefined;
    if (!row) {
      const group = Number(this.st.groupNew.run().lastInsertRowid);
      this.st.idInsert.run(key, group, isCall ? 1 : 0);
      return { group, created: true };
    }
    if (isCall && !row.is_call) this.st.idMarkCall.run(key);
    return { group: row.group_id, created: false };
  }

  /** Union by size: the smaller group's ids move into the bigger group. False when already one. */
  private union(a: string, b: string): boolean {
    const ga = (this.st.idGet.get(a) as Row).group_id as number;
    const gb = (this.st.idGet.get(b) as Row).group_id as number;
    if (ga === gb) return false;
    const sa = (this.st.groupSize.get(ga) as Row).size as number;
    const sb = (this.st.groupSize.get(gb) as Row).size as number;
    const [big, small, smallSize] = sa >= sb ? [ga, gb, sb] : [gb, ga, sa];
    this.st.idsMove.run(big, small);
    this.st.groupAddSize.run(smallSize, big);
    this.st.groupDelete.run(small);
    return true;
  }

  private refreshGroup(id: number): void {
    const calls = this.st.groupCalls.all(id) as CallSummary[];
    if (calls.length) this.writeGroupSummary(id, calls);
  }

  /** A group's search row from its calls, earliest first. */
  private writeGroupSummary(id: number, calls: CallSummary[]): void {
    const first = calls[0];
    let end = first.end;
    let messages = 0;
    for (const c of calls) {
      end = Math.max(end, c.end);
      messages += c.messages;
    }
    this.st.groupSummary.run(first.call_id, first.start, end, calls.length, messages, first.caller, first.callee,
      first.method, first.status, id);
  }

  async searchGroups(q: CallQuery): Promise<GroupPage> {
    const where: string[] = ['g.start IS NOT NULL'];
    const args: unknown[] = [];
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
    const byTerm = `SELECT i.group_id FROM terms t JOIN ids i ON i.key = t.call_id WHERE t.kind = ? AND t.term = ?`;
    if (q.user) { where.push(`g.id IN (${byTerm})`); args.push('user', q.user); }
    if (q.ip) { where.push(`g.id IN (${byTerm})`); args.push('ip', q.ip); }
    if (q.method) {
      where.push('EXISTS (SELECT 1 FROM ids i JOIN messages m ON m.call_id = i.key WHERE i.group_id = g.id AND m.method = ?)');
      args.push(q.method.toUpperCase());
    }
    if (q.status !== undefined) {
      where.push('EXISTS (SELECT 1 FROM ids i JOIN messages m ON m.call_id = i.key WHERE i.group_id = g.id AND m.status = ?)');
      args.push(q.status);
    }
    if (q.q) {
      // Free text: any id, a user, or an address.
      where.push(`g.id IN (SELECT group_id FROM ids WHERE key = ? UNION ${byTerm} UNION ${byTerm})`);
      args.push(q.q, 'user', q.q, 'ip', q.q);
    }
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (cursor) {
      where.push('(g.start < ? OR (g.start = ? AND g.id < ?))');
      args.push(cursor.start, cursor.start, cursor.id);
    }
    const rows = this.db.prepare(`SELECT g.* FROM groups g WHERE ${where.join(' AND ')}
      ORDER BY g.start DESC, g.id DESC LIMIT ?`).all(...args, q.limit + 1) as Row[];
    const page = rows.slice(0, q.limit);
    const items = page.map((g) => this.summary(g));
    const last = page[page.length - 1];
    return { items, next: rows.length > q.limit && last ? encodeCursor({ start: last.start, id: last.id }) : null };
  }

  private summary(g: Row): GroupSummary {
    const ids = this.st.groupIds.all(g.id) as Row[];
    return {
      groupId: g.first_call,
      callIds: ids.filter((r) => r.is_call).map((r) => r.key),
      correlationIds: ids.filter((r) => !r.is_call).map((r) => r.key),
      start: g.start,
      end: g.end,
      caller: g.caller,
      callee: g.callee,
      status: g.status,
      method: g.method,
      messages: g.messages,
    };
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    const g = this.groupOf(id);
    return g ? { ...g.head, messages: (this.st.groupMessages.all(g.key) as unknown[][]).map(toMessage) } : null;
  }

  async getGroupSlice(id: string, limit?: number): Promise<GroupSlice | null> {
    const g = this.groupOf(id);
    if (!g) return null;
    // One row past the limit says whether more follow.
    const rows = this.st.groupMetas.all(g.key, limit === undefined ? -1 : limit + 1) as unknown[][];
    const complete = limit === undefined || rows.length <= limit;
    return { ...g.head, messages: (complete ? rows : rows.slice(0, limit)).map(toMeta), complete };
  }

  async getPayloads(ids: readonly string[]): Promise<Map<string, string>> {
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
    const s = this.summary(this.st.groupGet.get(row.group_id) as Row);
    return {
      key: row.group_id,
      head: {
        groupId: s.groupId ?? id,
        callIds: s.callIds,
        correlationIds: s.correlationIds,
        links: (this.st.groupLinks.all(row.group_id) as Row[]).map(toLink),
      },
    };
  }

  async getMessage(id: string): Promise<StoredMessage | null> {
    if (!/^\d+$/.test(id)) return null;
    const row = this.st.message.get(Number(id)) as unknown[] | undefined;
    return row ? toMessage(row) : null;
  }

  async findRequests(method: string, since: EpochMicros, until: EpochMicros): Promise<StoredMessage[]> {
    // The method is written into the SQL so that the partial index on REFERs applies; it is a
    // SIP token, checked here, never free text.
    if (!/^[A-Z]+$/.test(method)) throw new Error(`not a SIP method: ${method}`);
    const st = this.requestStatements.get(method) ?? this.db.prepare(`SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages
      WHERE method = '${method}' AND ts BETWEEN ? AND ? ORDER BY ts, id`).raw(true);
    this.requestStatements.set(method, st);
    return (st.all(since, until) as unknown[][]).map(toMessage);
  }

  /** Deletes in chunks, one transaction each, yielding between chunks so ingest keeps going. */
  async purgeBefore(before: EpochMicros): Promise<number> {
    const del = this.db.prepare(`DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE ts < ? LIMIT ${PURGE_CHUNK})`);
    let total = 0;
    for (;;) {
      const n = del.run(before).changes;
      total += n;
      if (n < PURGE_CHUNK) break;
      await new Promise((r) => setImmediate(r));
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM links WHERE ts < ?').run(before);
      const stale = this.db.prepare('SELECT id FROM groups WHERE end < ?').all(before) as Row[];
      for (const { id } of stale) {
        this.db.prepare('DELETE FROM calls WHERE call_id IN (SELECT key FROM ids WHERE group_id = ?)').run(id);
        this.db.prepare('DELETE FROM terms WHERE call_id IN (SELECT key FROM ids WHERE group_id = ?)').run(id);
        this.db.prepare('DELETE FROM ids WHERE group_id = ?').run(id);
        this.st.groupDelete.run(id);
      }
    })();
    return total;
  }

  async counts(): Promise<StoreCounts> {
    const one = (sql: string) => (this.db.prepare(sql).get() as Row).n as number;
    return {
      messages: one('SELECT count(*) n FROM messages'),
      calls: one('SELECT count(*) n FROM calls'),
      groups: one('SELECT count(*) n FROM groups WHERE start IS NOT NULL'),
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(`database schema version ${version} is newer than this hepflow (${migrations.length})`);
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Columns of a message row without its payload, in the order toMeta reads them. */
const META_COLUMNS = ['id', 'ts', 'call_id', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'transport', 'capture_id',
  'hep_corr', 'proto_type', 'method', 'status', 'reason', 'cseq_num', 'cseq_method', 'from_user', 'from_tag', 'to_user',
  'to_tag', 'ruri_user', 'user_agent', 'via_branch', 'has_sdp', 'problems'] as const;

/** Columns of a whole message row: the payload last. */
const MESSAGE_COLUMNS = [...META_COLUMNS, 'raw'] as const;

function toMeta(r: any[]): MessageMeta {
  return {
    id: String(r[0]), ts: r[1], callId: r[2], srcIp: r[3], srcPort: r[4], dstIp: r[5], dstPort: r[6], transport: r[7],
    captureId: r[8], hepCorrelationId: r[9], protoType: r[10], method: r[11], status: r[12], reason: r[13],
    cseqNum: r[14], cseqMethod: r[15], fromUser: r[16], fromTag: r[17], toUser: r[18], toTag: r[19], ruriUser: r[20],
    userAgent: r[21], viaBranch: r[22], hasSdp: !!r[23], problems: r[24],
  };
}

function toMessage(r: any[]): StoredMessage {
  return Object.assign(toMeta(r), { raw: r[META_COLUMNS.length] as string });
}

function toLink(r: Row): StoredLink {
  return { callId: r.call_id, target: r.target, rule: r.rule as LinkRule, header: r.header, value: r.value,
    messageId: String(r.message_id), ts: r.ts };
}
