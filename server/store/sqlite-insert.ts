/**
 * The SQLite write path, one transaction per batch: messages, their links and search terms, the
 * groups their ids belong to (sqlite-groups.ts), each touched call's and group's search row,
 * from the rows it wrote last (sqlite-written.ts), and a call group's rows by address for the
 * stats (sqlite-group-ips.ts). It runs for every message the collector stores, on the writer thread.
 */
import type Database from 'better-sqlite3';
import { SqliteGroups } from './sqlite-groups.ts';
import { SqliteGroupIps } from './sqlite-group-ips.ts';
import { groupFailPeer, groupKpi, newCall, settleKpi, updateCall, type CallSummary } from './summary.ts';
import { CallKpis } from './call-kpi.ts';
import type { KpiState } from '../kpi/state.ts';
import type { KpiSink } from '../kpi/live-calls.ts';
import type { MessageInput } from './types.ts';
import { detached } from '../strings.ts';
import { GROUP_ROW_COLUMNS, WrittenRows, type GroupRowValues, type WrittenCall } from './sqlite-written.ts';

/** What one insert batch keeps for each call it touches. */
interface Touched extends WrittenCall {
  /** Its KPI fold state (call-kpi.ts), null when unknown. */
  kpi: KpiState | null;
  /** Null for a new call until its group is made (newGroup). */
  group: number | null;
  /** Its number (ids.call): the key of its row in calls, and of its messages and terms. */
  call: number;
  /** Addresses (search terms of kind 'ip') first written for it by this batch. */
  addedIps: string[] | null;
}

/** The columns of a call's row in calls but its number, in the order the writer binds them. */
const CALL_COLUMNS = `call_id, start, end, messages, first_req_ts, method, cseq_num, caller, callee, status, status_ts, kpi,
  disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer`;

/** UPDATE statements of a group's row by the set of columns they write (bits of GROUP_ROW_COLUMNS), at most. */
const GROUP_UPDATES_KEPT = 256;

export class SqliteInsert {
  private readonly db: Database.Database;
  private readonly st;
  private readonly groups: SqliteGroups;
  private readonly groupIps: SqliteGroupIps;
  private readonly written = new WrittenRows();
  private readonly groupUpdates = new Map<number, Database.Statement>();
  private readonly kpis = new CallKpis();
  /** Stores `batch` in one transaction. */
  readonly insert: (batch: MessageInput[]) => void;

  constructor(db: Database.Database) {
    this.db = db;
    this.groups = new SqliteGroups(db);
    this.groupIps = new SqliteGroupIps(db);
    this.st = {
      insertMessage: db.prepare(`INSERT INTO messages (ts, call_id, call, src_ip, src_port, dst_ip, dst_port, transport,
        capture_id, hep_corr, proto_type, method, status, reason, cseq_num, cseq_method, from_user, from_tag, to_user,
        to_tag, ruri_user, user_agent, via_branch, has_sdp, raw, problems, via_ip, contact_ip)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertLink: db.prepare(`INSERT OR IGNORE INTO links (call_id, target, rule, header, value, message_id, ts) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      callGet: db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE id = ?`),
      callUpsert: db.prepare(`INSERT OR REPLACE INTO calls (id, ${CALL_COLUMNS})
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Not the packed state (kpi): a group's row needs the columns read from it.
      groupCalls: db.prepare(`SELECT c.call_id, c.start, c.end, c.messages, c.caller, c.callee, c.method, c.status,
        c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems, c.fail_peer
        FROM ids i JOIN calls c ON c.id = i.call WHERE i.group_id = ? ORDER BY c.start, c.call_id`),
      insertTerm: db.prepare(`INSERT OR IGNORE INTO terms (kind, term, call) VALUES (?, ?, ?)`),
      // size: rows of ids (sqlite-groups.ts), the new call's own.
      groupInsert: db.prepare(`INSERT INTO groups (size, ${GROUP_ROW_COLUMNS.join(', ')}) VALUES (1, ${GROUP_ROW_COLUMNS.map(() => '?').join(', ')})`),
    };
    const transaction = db.transaction((batch: MessageInput[]) => this.insertBatch(batch));
    this.insert = (batch) => {
      try {
        transaction(batch);
      } catch (err) {
        this.kpis.abandoned();
        this.written.abandoned();
        throw err;
      }
      this.written.committed();
      this.kpis.committed();
    };
  }

  /** The KPIs of the calls stored from now on go to `sink` for /metrics (call-kpi.ts). */
  followCalls(sink: KpiSink): void {
    this.kpis.follow(sink);
  }

  /** Times out the calls followed whose INVITE is older than 64×T1 at `nowMicros`. */
  expireCalls(nowMicros: number): void {
    this.kpis.expire(nowMicros);
  }

  /** After a purge: a purged call's terms are gone (a later message writes them again), and so are its row and group. */
  forgetCalls(): void {
    this.written.clear();
    this.kpis.clear();
  }

  private insertBatch(batch: MessageInput[]): void {
    this.groups.startBatch();
    // Per call this batch touches: its summary, the group callGroup found it in (valid while no
    // link moved ids), and the search terms already written for it.
    const touched = new Map<string, Touched>();
    // Groups this batch made for one new call, and the values their row was inserted with.
    const newGroups = new Map<number, GroupRowValues>();
    // Messages with links, grouped once every Call-ID of the batch has its id row.
    let linked: MessageInput[] | null = null;
    for (const m of batch) {
      let t = touched.get(m.callId);
      if (t === undefined) t = this.touch(m, touched); // once per call and batch
      const id = Number(this.st.insertMessage.run(m.ts, m.callId, t.call, m.srcIp, m.srcPort, m.dstIp, m.dstPort, m.transport,
        m.captureId, m.hepCorrelationId, m.protoType, m.method, m.status, m.reason, m.cseqNum, m.cseqMethod, m.fromUser,
        m.fromTag, m.toUser, m.toTag, m.ruriUser, m.userAgent, m.viaBranch, m.hasSdp ? 1 : 0, m.raw, m.problems,
        m.viaIp ?? null, m.contactIp ?? null).lastInsertRowid);
      if (m.links.length) {
        for (const l of m.links) this.st.insertLink.run(m.callId, l.target, l.rule, l.header, l.value, id, m.ts);
        (linked ??= []).push(m);
      }
      if (m.method) {
        // A response travels its request's hop backwards with the same users: requests name every term.
        this.term('user', m.fromUser, t);
        this.term('user', m.toUser, t);
        this.term('ip', m.srcIp, t);
        this.term('ip', m.dstIp, t);
      }
      updateCall(t.row, m, t.kpi);
    }
    if (linked !== null) {
      // Links are planned from the ids table: each new call needs its group first.
      for (const t of touched.values()) if (t.group === null) this.newGroup(t, newGroups);
    }
    const moved = linked !== null && this.groups.link(linked, (g, gone) => {
      this.written.forgetGroup(g);
      if (gone) this.groupIps.drop(g);
      else this.groupIps.movedCalls(g);
    });
    const groups = new Map<number, CallSummary>();
    // Per group, the addresses its calls gained in this batch.
    const addedIps = new Map<number, string[]>();
    for (const t of touched.values()) {
      const c = t.row;
      if (t.kpi !== null) settleKpi(c, t.kpi);
      // Made once its row's values are final: one INSERT, where an INSERT then an UPDATE of every
      // column rewrote each index of groups twice (OPTIONS and REGISTER are a new call each).
      if (t.group === null) this.newGroup(t, newGroups);
      this.st.callUpsert.run(t.call, c.call_id, c.start, c.end, c.messages, c.first_req_ts, c.method, c.cseq_num, c.caller,
        c.callee, c.status, c.status_ts, c.kpi, c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems,
        c.fail_peer);
      if (t.kpi !== null) this.kpis.close(c, t.kpi);
      this.written.stageCall(t);
      // Links may have moved a touched call after its group was read: then read groups again.
      const g = moved ? this.groups.groupOf(c.call_id) : t.group!;
      groups.set(g, c);
      if (t.addedIps !== null) {
        const ips = addedIps.get(g);
        if (ips === undefined) addedIps.set(g, [...t.addedIps]);
        else ips.push(...t.addedIps);
      }
    }
    for (const [g, c] of groups) {
      const inserted = moved ? undefined : newGroups.get(g);
      if (inserted) this.writeGroup(g, [c], inserted, addedIps.get(g));
      else this.refreshGroup(g, touched, addedIps.get(g));
    }
  }

  /** Makes the group of new call `t`, its row summarizing `t` alone as folded so far. */
  private newGroup(t: Touched, newGroups: Map<number, GroupRowValues>): void {
    if (t.kpi !== null) settleKpi(t.row, t.kpi);
    const values = groupValues([t.row]);
    const group = Number(this.st.groupInsert.run(...values).lastInsertRowid);
    this.groups.adopt(t.row.call_id, t.call, group);
    newGroups.set(group, values);
    t.group = group;
  }

  /** The first message of its call in this batch: the call's row and terms as stored, and its group. */
  private touch(m: MessageInput, touched: Map<string, Touched>): Touched {
    const { group, call, becameCall } = this.groups.callGroup(m.callId);
    const created = group === null;
    if (becameCall) this.written.forgetGroup(group!);
    const kept = created ? undefined : this.written.call(m.callId);
    // A copy: the batch folds into it, and a batch rolled back must leave the kept row as stored.
    const row = created ? newCall(m) : kept ? { ...kept.row } : this.st.callGet.get(call) as CallSummary | undefined ?? newCall(m);
    const terms = kept ? [...kept.terms] : [];
    const t: Touched = { row, terms, kpi: this.kpis.open(row), group, call, addedIps: null };
    touched.set(m.callId, t);
    return t;
  }

  /** Writes search term `value` of call `t` unless written already. */
  private term(kind: 'user' | 'ip', value: string | null, t: Touched): void {
    if (!value) return;
    const key = kind === 'user' ? `u ${value}` : `i ${value}`;
    if (t.terms.includes(key)) return;
    t.terms.push(detached(key));
    this.st.insertTerm.run(kind, value, t.call);
    if (kind === 'ip') (t.addedIps ??= []).push(value);
  }

  /** Writes group `id`'s row again: its calls' rows as kept or as this batch wrote them, or else as read back. */
  private refreshGroup(id: number, touched: Map<string, Touched>, addedIps: string[] | undefined): void {
    const kept = this.written.group(id);
    let calls: CallSummary[] | null = null;
    if (kept) {
      calls = [];
      for (const leg of kept.legs) {
        const c = touched.get(leg)?.row ?? this.written.call(leg)?.row;
        if (c === undefined) {
          calls = null;
          break;
        }
        calls.push(c);
      }
      calls?.sort(earliestFirst);
    }
    calls ??= this.st.groupCalls.all(id) as CallSummary[];
    if (calls.length) this.writeGroup(id, calls, kept?.values ?? null, addedIps);
  }

  /**
   * A group's search row from its calls, earliest first: only the columns that differ from
   * `before` (its row as stored; null when unknown). SQLite rewrites the entries of every index
   * of groups whose columns an UPDATE sets, changed or not, and a group's row has six.
   */
  private writeGroup(id: number, calls: CallSummary[], before: GroupRowValues | null, addedIps: string[] | undefined): void {
    const values = groupValues(calls);
    let columns = 0;
    const args: GroupRowValues = [];
    for (let i = 0; i < values.length; i++) {
      if (before !== null && values[i] === before[i]) continue;
      columns |= 1 << i;
      args.push(values[i]);
    }
    if (columns !== 0) this.groupUpdate(columns).run(...args, id);
    this.groupIps.write(id, values, before, addedIps);
    this.written.stageGroup(id, { legs: calls.map((c) => c.call_id), values });
  }

  /** The UPDATE of a group's row that sets `columns` (bits of GROUP_ROW_COLUMNS). */
  private groupUpdate(columns: number): Database.Statement {
    let st = this.groupUpdates.get(columns);
    if (st === undefined) {
      if (this.groupUpdates.size >= GROUP_UPDATES_KEPT) this.groupUpdates.clear();
      const set = GROUP_ROW_COLUMNS.filter((_, i) => columns & (1 << i)).map((c) => `${c} = ?`).join(', ');
      st = this.db.prepare(`UPDATE groups SET ${set} WHERE id = ?`);
      this.groupUpdates.set(columns, st);
    }
    return st;
  }
}

/** A group's search row (GROUP_ROW_COLUMNS) from its calls, earliest first. */
function groupValues(calls: CallSummary[]): GroupRowValues {
  const first = calls[0];
  let end = first.end;
  let messages = 0;
  for (const c of calls) {
    end = Math.max(end, c.end);
    messages += c.messages;
  }
  const k = groupKpi(calls);
  return [first.call_id, first.start, end, calls.length, messages, first.caller, first.callee, first.method, first.status,
    k.disposition, k.pdd_ms, k.setup_ms, k.duration_ms, k.final_status, k.problems, groupFailPeer(calls)];
}

/** The order of a group's calls: by start, then Call-ID (as the groupCalls statement orders them). */
function earliestFirst(a: CallSummary, b: CallSummary): number {
  return a.start - b.start || (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0);
}
