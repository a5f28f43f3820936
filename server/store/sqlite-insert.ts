/**
 * The SQLite write path, one transaction per batch: messages, their links and search terms, the
 * groups their ids belong to (sqlite-groups.ts), and each touched call's and group's search row.
 * It runs for every message the collector stores, on the writer thread.
 */
import type Database from 'better-sqlite3';
import { SqliteGroups } from './sqlite-groups.ts';
import { groupFailPeer, groupKpi, newCall, settleKpi, updateCall, type CallSummary } from './summary.ts';
import { CallKpis } from './call-kpi.ts';
import type { KpiState } from '../kpi/state.ts';
import type { KpiSink } from '../kpi/live-calls.ts';
import type { MessageInput } from './types.ts';
import { detached } from '../strings.ts';

/** What one insert batch keeps for each call it touches. */
interface Touched {
  call: CallSummary;
  /** Its KPI fold state (call-kpi.ts), null when unknown. */
  kpi: KpiState | null;
  group: number;
  /** Search terms ("kind value") of the call written so far, this batch's included. */
  terms: string[];
}

/**
 * Calls whose written search terms are remembered across batches, at most. A REGISTER refresh or a
 * long dialog's in-dialog request names the same users and addresses batch after batch: without
 * this, each of those batches looked up all four terms again (bench/ingest, register-options
 * and long-dialogs mixes).
 */
const TERM_CACHE_CALLS = 50_000;

export class SqliteInsert {
  private readonly st;
  private readonly groups: SqliteGroups;
  /** Terms written per Call-ID, by committed transactions only (a rolled back batch is retried). */
  private readonly termsWritten = new Map<string, string[]>();
  private readonly kpis = new CallKpis();
  /** Stores `batch` in one transaction. */
  readonly insert: (batch: MessageInput[]) => void;

  constructor(db: Database.Database) {
    this.groups = new SqliteGroups(db);
    this.st = {
      insertMessage: db.prepare(`INSERT INTO messages (ts, call_id, src_ip, src_port, dst_ip, dst_port, transport,
        capture_id, hep_corr, proto_type, method, status, reason, cseq_num, cseq_method, from_user, from_tag, to_user,
        to_tag, ruri_user, user_agent, via_branch, has_sdp, raw, problems, via_ip, contact_ip)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertLink: db.prepare(`INSERT OR IGNORE INTO links (call_id, target, rule, header, value, message_id, ts) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      callGet: db.prepare(`SELECT * FROM calls WHERE call_id = ?`),
      callUpsert: db.prepare(`INSERT OR REPLACE INTO calls (call_id, start, end, messages, first_req_ts, method, cseq_num,
        caller, callee, status, status_ts, kpi, disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Not the packed state (kpi): a group's row needs the columns read from it.
      groupCalls: db.prepare(`SELECT c.call_id, c.start, c.end, c.messages, c.caller, c.callee, c.method, c.status,
        c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems, c.fail_peer
        FROM ids i JOIN calls c ON c.call_id = i.key WHERE i.group_id = ? ORDER BY c.start, c.call_id`),
      groupSummary: db.prepare(`UPDATE groups SET first_call = ?, start = ?, end = ?, legs = ?, messages = ?, caller = ?,
        callee = ?, method = ?, status = ?, disposition = ?, pdd_ms = ?, setup_ms = ?, duration_ms = ?, final_status = ?,
        problems = ?, fail_peer = ? WHERE id = ?`),
      insertTerm: db.prepare(`INSERT OR IGNORE INTO terms (kind, term, call_id) VALUES (?, ?, ?)`),
    };
    const transaction = db.transaction((batch: MessageInput[]) => this.insertBatch(batch));
    this.insert = (batch) => {
      let touched: Map<string, Touched>;
      try {
        touched = transaction(batch);
      } catch (err) {
        this.kpis.abandoned();
        throw err;
      }
      this.rememberTerms(touched);
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

  /** After a purge: a purged call's terms are gone (a later message writes them again), and so is its row. */
  forgetCalls(): void {
    this.termsWritten.clear();
    this.kpis.clear();
  }

  /** After a commit: the terms the batch wrote are known written. */
  private rememberTerms(touched: Map<string, Touched>): void {
    if (this.termsWritten.size + touched.size > TERM_CACHE_CALLS) this.termsWritten.clear();
    for (const [callId, t] of touched) {
      if (!t.terms.length) continue;
      if (this.termsWritten.has(callId)) this.termsWritten.set(callId, t.terms);
      else this.termsWritten.set(detached(callId), t.terms);
    }
  }

  private insertBatch(batch: MessageInput[]): Map<string, Touched> {
    // Per call this batch touches: its summary, the group ensureCall found it in (valid while no
    // link moved ids), and the search terms already written for it.
    const touched = new Map<string, Touched>();
    // Groups this batch made for one new call, whose summary is that call's own.
    const newGroups = new Set<number>();
    // Messages with links, grouped once every Call-ID of the batch has its id row.
    let linked: MessageInput[] | null = null;
    for (const m of batch) {
      const id = Number(this.st.insertMessage.run(m.ts, m.callId, m.srcIp, m.srcPort, m.dstIp, m.dstPort, m.transport,
        m.captureId, m.hepCorrelationId, m.protoType, m.method, m.status, m.reason, m.cseqNum, m.cseqMethod, m.fromUser,
        m.fromTag, m.toUser, m.toTag, m.ruriUser, m.userAgent, m.viaBranch, m.hasSdp ? 1 : 0, m.raw, m.problems,
        m.viaIp ?? null, m.contactIp ?? null).lastInsertRowid);
      let t = touched.get(m.callId);
      if (t === undefined) { // once per call and batch
        const { group, created } = this.groups.ensureCall(m.callId);
        if (created) newGroups.add(group);
        const call = created ? newCall(m) : this.st.callGet.get(m.callId) as CallSummary | undefined ?? newCall(m);
        const terms = created ? [] : [...this.termsWritten.get(m.callId) ?? []];
        touched.set(m.callId, (t = { call, kpi: this.kpis.open(call), group, terms }));
      }
      if (m.links.length) {
        for (const l of m.links) this.st.insertLink.run(m.callId, l.target, l.rule, l.header, l.value, id, m.ts);
        (linked ??= []).push(m);
      }
      if (m.method) {
        // A response travels its request's hop backwards with the same users: requests name every term.
        this.term('user', m.fromUser, t.terms, m.callId);
        this.term('user', m.toUser, t.terms, m.callId);
        this.term('ip', m.srcIp, t.terms, m.callId);
        this.term('ip', m.dstIp, t.terms, m.callId);
      }
      updateCall(t.call, m, t.kpi);
    }
    const moved = linked !== null && this.groups.link(linked);
    const groups = new Map<number, CallSummary>();
    for (const { call: c, kpi, group } of touched.values()) {
      if (kpi !== null) settleKpi(c, kpi);
      this.st.callUpsert.run(c.call_id, c.start, c.end, c.messages, c.first_req_ts, c.method, c.cseq_num, c.caller,
        c.callee, c.status, c.status_ts, c.kpi, c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status, c.problems,
        c.fail_peer);
      if (kpi !== null) this.kpis.close(c, kpi);
      // Links may have moved a touched call after its group was read: then read groups again.
      groups.set(moved ? this.groups.groupOf(c.call_id) : group, c);
    }
    for (const [g, c] of groups) {
      if (!moved && newGroups.has(g)) this.writeGroupSummary(g, [c]);
      else this.refreshGroup(g);
    }
    return touched;
  }

  /** Writes search term `value` of `callId` unless `written` (the call's) has it. */
  private term(kind: 'user' | 'ip', value: string | null, written: string[], callId: string): void {
    if (!value) return;
    const key = kind === 'user' ? `u ${value}` : `i ${value}`;
    if (written.includes(key)) return;
    written.push(detached(key));
    this.st.insertTerm.run(kind, value, callId);
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
    const k = groupKpi(calls);
    this.st.groupSummary.run(first.call_id, first.start, end, calls.length, messages, first.caller, first.callee,
      first.method, first.status, k.disposition, k.pdd_ms, k.setup_ms, k.duration_ms, k.final_status, k.problems,
      groupFailPeer(calls), id);
  }
}
