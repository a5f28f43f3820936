/**
 * The PostgreSQL store, in Homer 7's schema: messages go to heplify-server's tables and partitions
 * (homer/tables.ts, homer/rows.ts), so Homer's own UI shows them; hepflow's grouping lives in its
 * own hepflow_* tables beside them (homer/ddl.ts, homer/grouping.ts). Rows that heplify-server
 * wrote, which hepflow never grouped, are correlated at query time (correlate/closure.ts).
 * Several processes may share one database: see homer/grouping.ts for how writers stay consistent.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import { noLog, type Log } from '../log.ts';
import { decodeCursor, encodeCursor, type Cursor } from './cursor.ts';
import type {
  CallQuery, EpochMicros, GroupPage, GroupRecord, GroupSlice, GroupSummary, MessageInput, OnSetAside, Store, StoreCounts,
  StoredLink, StoredMessage,
} from './types.ts';
import type { LinkRule } from '../correlate/types.ts';
import type { ScenarioLink } from '../correlate/scenario-kind.ts';
import { HOMER_PROFILES, isoMicros, partitionStepMicros, profileOf, tableName, type HomerProfile } from './homer/tables.ts';
import { CommitUnknown, createSchema, inTransaction, LOCK_GROUPS, Partitions } from './homer/ddl.ts';
import { contentFault } from './homer/errors.ts';
import { writeSplitting } from './split.ts';
import { escapeNul } from '../collector/storable.ts';
import { fromHomerRow, messageId, parseMessageId, toHomerRow, type Extras, type HomerRow, type ReadRow } from './homer/rows.ts';
import { applyGrouping, type Written } from './homer/grouping.ts';
import { HomerWriter } from './homer/ingest.ts';
import { CALL_SPAN_MICROS, closeGroup, type RowSource } from '../correlate/closure.ts';
import { byTimeThenId } from './homer/order.ts';
import { purgeHomer } from './homer/purge.ts';
import { pgStats } from './homer/stats.ts';
import type { StatsQuery, StatsRows } from '../kpi/stats.ts';
import type { RetentionCutoffs } from './retention.ts';
import type { CorrelationRule } from '../correlate/user-rules.ts';
import { foldCalls, kpiConditions, kpiFields, scenarioOf, scenariosOf, summarize, type ScenarioRow } from './summary.ts';
import { CallKpis } from './call-kpi.ts';
import type { KpiSink } from '../kpi/live-calls.ts';
import { containsPattern, ROWS_NAMING, ROWS_OF_SIDS, rowFilters, SEED_TIME, selectRow, sidsWhere } from './homer/sql.ts';


/** A connection attempt to a database that does not answer fails after this long, ms, so writes reject instead of hanging. */
const CONNECT_TIMEOUT_MS = 5000;
/** Partitions are kept created this far ahead of now, µs (heplify's rotator creates the next ones ahead too). */
const AHEAD_MICROS = 2 * 3_600_000_000;
/** Rows per table read, newest first, when looking for heplify-written calls in one search page. */
const FOREIGN_SCAN_ROWS = 2000;
/** A time bound that prunes nothing, for searches without a window (µs, year 1970 and 2100). */
const NO_BOUND: [EpochMicros, EpochMicros] = [0, 4_102_444_800_000_000];
/**
 * How long a write's token is kept, s: a batch whose COMMIT went unanswered is retried within the
 * batcher's backoff (5 s at most), so a day covers any outage the buffer outlives.
 */
const BATCH_TOKEN_KEEP_S = 86_400;
/**
 * How long asking whether a token was committed waits for the transaction that wrote it, ms: one
 * cut off during COMMIT may still be finishing. Past this the ask fails and the batcher retries.
 */
const TOKEN_WAIT_MS = 10_000;

export async function openPostgresStore(config: Config, log: Log = noLog): Promise<PostgresStore> {
  const step = partitionStepMicros(config.pgPartitionStep);
  const pool = new pg.Pool({
    connectionString: config.store, max: config.pgPool, connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: '-c TimeZone=UTC', // partition bounds and names are UTC, as heplify's rotator sets them
  });
  // An idle connection that dies emits 'error' on the pool; unhandled, that would end the process.
  pool.on('error', (err) => log('postgres connection lost', { error: err.message }));
  try {
    await createSchema(pool);
    const store = new PostgresStore(pool, new Partitions(pool, step), config.correlationHeaders, log, config.correlationRules);
    await store.createAhead();
    return store;
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly timer: NodeJS.Timeout;
  private readonly homer = new HomerWriter();
  /** KPI fold windows of the calls this process wrote last (call-kpi.ts). */
  private readonly kpis = new CallKpis();
  /** Messages already stored or set aside (parts of a split batch; COMMITs found done): a retry of their batch skips them. */
  private readonly settled = new WeakSet<MessageInput>();
  /** Messages whose COMMIT went unanswered, with their transaction's token (see write). */
  private readonly unsure = new WeakMap<MessageInput, string>();

  constructor(private readonly pool: pg.Pool, private readonly parts: Partitions,
    private readonly correlationHeaders: string[], private readonly log: Log,
    private readonly correlationRules: readonly CorrelationRule[] = []) {
    this.timer = setInterval(() => void this.createAhead().catch((e) => log('partition creation failed', { error: e.message })),
      Math.min(parts.stepMicros / 2000, 15 * 60_000));
    this.timer.unref();
  }

  followCalls(sink: KpiSink): (nowMicros: number) => Promise<void> {
    this.kpis.follow(sink);
    return async (now) => this.kpis.expire(now);
  }

  /** Partitions from now to AHEAD_MICROS, so that live traffic rarely waits for DDL. */
  async createAhead(): Promise<void> {
    const now = Date.now() * 1000;
    await this.parts.ensureRange(now, now + AHEAD_MICROS);
    await this.pool.query(`DELETE FROM hepflow_batches WHERE at < now() - make_interval(secs => $1)`, [BATCH_TOKEN_KEEP_S]);
  }

  /**
   * Not retried here (the batcher keeps the batch and retries it with backoff); a retried batch may
   * hold messages already stored, which are skipped, so that each is stored exactly once.
   */
  async insert(batch: MessageInput[], _onRetry?: (err: Error) => void, onSetAside?: OnSetAside): Promise<void> {
    const todo = await this.notStoredYet(batch);
    if (!todo.length) return;
    await writeSplitting(todo, {
      write: (part) => this.write(part), contentFault, onSetAside,
      settled: (part) => { for (const m of part) this.settled.add(m); },
    });
  }

  /** `batch` without the messages a previous attempt stored: parts of a split, and COMMITs whose answer was lost. */
  private async notStoredYet(batch: MessageInput[]): Promise<MessageInput[]> {
    const todo = batch.filter((m) => !this.settled.has(m));
    const tokens = new Set<string>();
    for (const m of todo) {
      const t = this.unsure.get(m);
      if (t !== undefined) tokens.add(t);
    }
    if (!tokens.size) return todo;
    const committed = await this.committedTokens([...tokens]);
    const out: MessageInput[] = [];
    for (const m of todo) {
      const t = this.unsure.get(m);
      if (t === undefined) { out.push(m); continue; }
      this.unsure.delete(m);
      // Stored: settled for good, since a retry of this attempt may come with it again.
      if (committed.has(t)) this.settled.add(m);
      else out.push(m);
    }
    return out;
  }

  /**
   * Which of `tokens` were committed. Asked by inserting them again in a transaction rolled back
   * after: an insert waits for a transaction that holds the same token and has not ended (its
   * COMMIT, cut off in flight, may still be finishing), where a SELECT would not see it yet.
   */
  private committedTokens(tokens: string[]): Promise<Set<string>> {
    return inTransaction(this.pool, async (c) => {
      await c.query(`SET LOCAL lock_timeout = ${TOKEN_WAIT_MS}`);
      const { rows } = await c.query<{ token: string }>(`INSERT INTO hepflow_batches (token) SELECT unnest($1::uuid[])
        ON CONFLICT DO NOTHING RETURNING token::text`, [tokens]);
      const absent = new Set(rows.map((r) => r.token));
      return new Set(tokens.filter((t) => !absent.has(t)));
    }, { rollBack: true });
  }

  /**
   * One transaction. It records a token of its own in hepflow_batches: when the connection is lost
   * during COMMIT (the server may have committed, the answer never came), the next attempt asks
   * whether that token is there instead of writing the messages twice.
   */
  private async write(batch: MessageInput[]): Promise<void> {
    const rows = batch.map(toHomerRow);
    await this.parts.ensure(rows);
    const token = randomUUID();
    try {
      await this.transaction(batch, rows, token);
    } catch (err) {
      // A COMMIT whose answer was lost is not reported either: the metrics may miss its calls' changes, never count them twice.
      this.kpis.abandoned();
      if (err instanceof CommitUnknown) for (const m of batch) this.unsure.set(m, token);
      throw err;
    }
    this.kpis.committed();
  }

  private transaction(batch: MessageInput[], rows: HomerRow[], token: string): Promise<void> {
    return inTransaction(this.pool, async (c) => {
      const ids = await this.homer.write(c, rows);
      const written: Written[] = batch.map((m, i) => ({ m, messageId: messageId(rows[i].profile, ids[i], rows[i].ts) }));
      const extras = rows.flatMap((r, i) => (r.extras ? [{ profile: r.profile, id: ids[i], ts: r.ts, sid: r.sid, x: r.extras }] : []));
      if (extras.length) {
        await c.query(`INSERT INTO hepflow_extras (profile, id, create_date, sid, transport, hep_corr, proto_type, has_sdp, problems)
          SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bool[], $9::text[])`,
        [extras.map((e) => e.profile), extras.map((e) => e.id), extras.map((e) => isoMicros(e.ts)), extras.map((e) => e.sid),
          extras.map((e) => e.x.transport), extras.map((e) => e.x.hepCorrelationId), extras.map((e) => e.x.protoType),
          extras.map((e) => e.x.hasSdp), extras.map((e) => e.x.problems)]);
      }
      // Only now serialise with the other writers: the Homer rows above went in concurrently.
      // The token rides on the same round trip (a data-modifying WITH runs whether read or not).
      await c.query('WITH t AS (INSERT INTO hepflow_batches (token) VALUES ($2)) SELECT pg_advisory_xact_lock($1)', [LOCK_GROUPS, token]);
      await applyGrouping(c, written, this.kpis);
    });
  }

  private async readRows(sql: string, args: unknown[]): Promise<StoredMessage[]> {
    return (await this.readRaw(sql, args)).map((r) => fromHomerRow(r, this.correlationHeaders));
  }

  /** Reads Homer rows with their hepflow_extras. */
  private async readRaw(sql: string, args: unknown[]): Promise<ReadRow[]> {
    const { rows } = await this.pool.query(sql, args);
    const read: ReadRow[] = rows.map((r) => ({ ...r, ts: Number(r.ts) }));
    if (read.length) {
      const x = await this.pool.query(`SELECT profile, id::text AS id, transport, hep_corr, proto_type, has_sdp, problems
        FROM hepflow_extras WHERE (profile, id) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
      [read.map((r) => r.profile), read.map((r) => r.id)]);
      const byKey = new Map(x.rows.map((e) => [`${e.profile}:${e.id}`, e]));
      for (const r of read) {
        const e = byKey.get(`${r.profile}:${r.id}`);
        if (e) r.extras = { transport: e.transport, hepCorrelationId: e.hep_corr, protoType: e.proto_type, hasSdp: e.has_sdp, problems: e.problems };
      }
    }
    return read;
  }

  private readonly rowSource: RowSource = {
    seedTime: async (id) => {
      const { rows } = await this.pool.query(SEED_TIME, [id]);
      return rows[0]?.ts == null ? null : Number(rows[0].ts);
    },
    rowsNaming: (ids, from, to) => this.readRows(ROWS_NAMING, [ids, isoMicros(from), isoMicros(to),
      ids.map((i) => `${i}_b2b-1`), ids.flatMap(likePatterns)]),
    order: byTimeThenId,
  };

  async getGroup(id: string): Promise<GroupRecord | null> {
    const g = await this.readGroup(escapeNul(id));
    return g ? { groupId: g.groupId, callIds: g.callIds, correlationIds: g.correlationIds, messages: g.messages, links: g.links } : null;
  }

  /** Payloads come with the rows here (the SIP fields are parsed from them), so a slice costs what the group costs. */
  getGroupSlice(id: string, limit?: number): Promise<GroupSlice | null> {
    return this.readGroup(escapeNul(id), limit);
  }

  async getPayloads(ids: readonly string[]): Promise<Map<string, string>> {
    const byProfile = new Map<HomerProfile, { key: string; id: string; ts: EpochMicros }[]>();
    for (const key of ids) {
      const ref = parseMessageId(key);
      if (!ref) continue;
      const refs = byProfile.get(ref.profile) ?? [];
      refs.push({ key, id: ref.id, ts: ref.ts });
      byProfile.set(ref.profile, refs);
    }
    const out = new Map<string, string>();
    await Promise.all([...byProfile].map(async ([p, refs]) => {
      const { rows } = await this.pool.query<{ id: string; raw: string }>(`SELECT id::text AS id, raw FROM ${tableName(p)}
        WHERE (create_date, id) IN (SELECT * FROM unnest($1::timestamptz[], $2::bigint[]))`,
      [refs.map((r) => isoMicros(r.ts)), refs.map((r) => r.id)]);
      const keyOf = new Map(refs.map((r) => [r.id, r.key]));
      for (const r of rows) out.set(keyOf.get(r.id)!, r.raw);
    }));
    return out;
  }

  /** The group of `id`, its `limit` earliest messages when given (in byTimeThenId order). */
  private async readGroup(id: string, limit?: number): Promise<(GroupRecord & { complete: boolean }) | null> {
    const known = await this.pool.query('SELECT group_id FROM hepflow_ids WHERE key = $1', [id]);
    if (!known.rows.length) {
      const rec = (await this.foreignGroup(id))?.record;
      if (!rec) return null;
      const cut = limit !== undefined && rec.messages.length > limit;
      return { ...rec, messages: cut ? rec.messages.slice(0, limit) : rec.messages, complete: !cut,
        scenario: scenarioOf(foldCalls(rec.messages), rec.links) };
    }
    const gid = known.rows[0].group_id;
    const [ids, group] = await Promise.all([
      this.pool.query<{ key: string; is_call: boolean }>('SELECT key, is_call FROM hepflow_ids WHERE group_id = $1', [gid]),
      this.pool.query('SELECT first_call, start, "end" FROM hepflow_groups WHERE id = $1', [gid]),
    ]);
    const callIds = ids.rows.filter((r) => r.is_call).map((r) => r.key);
    const g = group.rows[0];
    const range = callIds.length && g?.start != null ? [callIds, isoMicros(Number(g.start)), isoMicros(Number(g.end))] : null;
    // One row past the limit says whether more follow; "C" compares profiles as byTimeThenId does.
    const rows = range === null ? []
      : limit === undefined ? await this.readRows(ROWS_OF_SIDS, range)
      : await this.readRows(`SELECT * FROM (${ROWS_OF_SIDS}) r ORDER BY ts::int8, profile COLLATE "C", id::int8 LIMIT $4`, [...range, limit + 1]);
    const complete = limit === undefined || rows.length <= limit;
    const keys = ids.rows.map((r) => r.key);
    const [links, calls] = await Promise.all([
      this.pool.query('SELECT * FROM hepflow_links WHERE call_id = ANY($1) ORDER BY ts, message_id', [keys]),
      this.scenarioCalls(keys),
    ]);
    return {
      groupId: g?.first_call ?? id,
      callIds,
      correlationIds: ids.rows.filter((r) => !r.is_call).map((r) => r.key),
      messages: rows.sort(byTimeThenId).slice(0, complete ? rows.length : limit),
      links: links.rows.map(toLink),
      complete,
      scenario: scenarioOf(calls, links.rows.map(toLink)),
    };
  }

  /** The rows of `keys`' calls that a scenario kind reads (summary.ts scenarioOf), earliest first. */
  private async scenarioCalls(keys: string[]): Promise<ScenarioRow[]> {
    const { rows } = await this.pool.query<ScenarioRow>(`SELECT call_id, callee, setup_ms FROM hepflow_calls
      WHERE call_id = ANY($1) ORDER BY start, call_id COLLATE "C"`, [keys]);
    return rows;
  }

  /** A group hepflow never grouped: heplify-server's rows, correlated now. */
  private foreignGroup(id: string) {
    return closeGroup(this.rowSource, id, { correlationHeaders: this.correlationHeaders, correlationRules: this.correlationRules });
  }

  async searchGroups(q: CallQuery): Promise<GroupPage> {
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    const [own, foreign] = await Promise.all([this.searchGrouped(q, cursor), this.searchForeign(q, cursor)]);
    const seen = new Set(own.map((g) => g.groupId));
    const all = [...own, ...foreign.items.filter((g) => !seen.has(g.groupId))].sort(newestFirst);
    const page = all.slice(0, q.limit);
    const last = page[page.length - 1];
    // A capped scan for heplify's rows may have left older ones: offer another page.
    const more = all.length > q.limit || foreign.capped;
    return { items: page, next: more && last ? encodeCursor({ start: last.start, id: last.groupId }) : null };
  }

  /** Groups hepflow keeps (hepflow_groups), filtered like the SQLite store. */
  private async searchGrouped(q: CallQuery, cursor: Cursor | null): Promise<GroupSummary[]> {
    const args: unknown[] = [];
    const now = Date.now() * 1000; // the clock kpiFields and kpiConditions read Timer B with
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    const where = ['g.start IS NOT NULL'];
    if (q.from !== undefined) where.push(`g."end" >= ${arg(q.from)}`);
    if (q.to !== undefined) where.push(`g.start <= ${arg(q.to)}`);
    // A group overlapping the window may have its matching message up to a call's length outside it.
    const lo = q.from !== undefined ? q.from - CALL_SPAN_MICROS : NO_BOUND[0];
    const hi = q.to !== undefined ? q.to + CALL_SPAN_MICROS : NO_BOUND[1];
    let timeSql = '';
    const time = () => (timeSql ||= `create_date BETWEEN ${arg(isoMicros(lo))} AND ${arg(isoMicros(hi))}`);
    for (const id of [q.callId, q.correlationId]) if (id) where.push(`g.id IN (SELECT group_id FROM hepflow_ids WHERE key = ${arg(id)})`);
    const filters = rowFilters({ user: q.user, ip: q.ip, method: q.method, status: q.status }, arg);
    for (const f of filters) where.push(`g.id IN (SELECT group_id FROM hepflow_ids WHERE key IN (${sidsWhere(f, time())}))`);
    if (q.q) {
      const [f] = rowFilters({ q: q.q }, arg);
      where.push(`g.id IN (SELECT group_id FROM hepflow_ids WHERE key = ${arg(q.q)} OR key IN (${sidsWhere(f, time())}))`);
    }
    // KPIs (ddl.ts HEPFLOW_KPI_INDEXES): disposition and problem have an index each.
    where.push(...kpiConditions(q, now, arg));
    if (q.minPddMs !== undefined) where.push(`g.pdd_ms >= ${arg(q.minPddMs)}`);
    if (q.minDurationMs !== undefined) where.push(`g.duration_ms >= ${arg(q.minDurationMs)}`);
    if (q.maxDurationMs !== undefined) where.push(`g.duration_ms <= ${arg(q.maxDurationMs)}`);
    if (cursor) {
      const s = arg(cursor.start);
      where.push(`(g.start < ${s} OR (g.start = ${s} AND g.first_call < ${arg(String(cursor.id))}))`);
    }
    const { rows } = await this.pool.query(`SELECT g.* FROM hepflow_groups g WHERE ${where.join(' AND ')}
      ORDER BY g.start DESC, g.first_call DESC LIMIT ${arg(q.limit + 1)}`, args);
    if (!rows.length) return [];
    const ids = await this.pool.query<{ group_id: string; key: string; is_call: boolean }>(
      'SELECT group_id, key, is_call FROM hepflow_ids WHERE group_id = ANY($1) ORDER BY key', [rows.map((r) => r.id)]);
    // The page's scenario kinds: two lookups by primary key over its calls and links, all groups at once.
    const keys = ids.rows.map((r) => r.key);
    const [calls, links] = await Promise.all([
      this.scenarioCalls(keys),
      this.pool.query<ScenarioLink>('SELECT call_id AS "callId", target, rule, value FROM hepflow_links WHERE call_id = ANY($1)', [keys]),
    ]);
    const groupOf = new Map(ids.rows.map((r) => [r.key, r.group_id]));
    const kinds = scenariosOf(calls.map((c) => ({ ...c, group: groupOf.get(c.call_id) })), links.rows.map((l) => ({ ...l, group: groupOf.get(l.callId) })));
    return rows.map((g) => {
      const mine = ids.rows.filter((r) => r.group_id === g.id);
      const scenario = kinds.get(g.id) ?? 'basic';
      return {
        groupId: g.first_call, callIds: mine.filter((r) => r.is_call).map((r) => r.key),
        correlationIds: mine.filter((r) => !r.is_call).map((r) => r.key), start: Number(g.start), end: Number(g.end),
        caller: g.caller, callee: g.callee, status: g.status, method: g.method, messages: g.messages,
        ...kpiFields(g, Number(g.start), now), scenario,
      };
    });
  }

  /**
   * Calls heplify-server wrote that hepflow never grouped: the newest matching rows (at most
   * FOREIGN_SCAN_ROWS a table) whose Call-ID hepflow does not know, each closed into its group.
   */
  private async searchForeign(q: CallQuery, cursor: Cursor | null): Promise<{ items: GroupSummary[]; capped: boolean }> {
    const args: unknown[] = [];
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    const lo = q.from ?? NO_BOUND[0];
    const hi = Math.min(q.to ?? NO_BOUND[1], cursor ? cursor.start + CALL_SPAN_MICROS : NO_BOUND[1]);
    const time = `create_date BETWEEN ${arg(isoMicros(lo))} AND ${arg(isoMicros(hi))}`;
    // One filter picks candidates; every filter is then checked on the whole group.
    const [f] = rowFilters(q, arg);
    const profiles = f?.profiles ?? HOMER_PROFILES;
    const scan = Math.min(FOREIGN_SCAN_ROWS, (q.limit + 1) * 10);
    const sql = `SELECT sid, max(create_date) AS t, bool_or(capped) AS capped FROM (SELECT *, count(*) OVER () >= ${scan} AS capped FROM (${profiles.map((p) => `(SELECT sid, create_date FROM ${tableName(p)}
      WHERE ${time}${f ? ` AND ${f.cond}` : ''} ORDER BY create_date DESC LIMIT ${scan})`).join(' UNION ALL ')}) y) x
      WHERE NOT EXISTS (SELECT 1 FROM hepflow_ids i WHERE i.key = x.sid) GROUP BY sid ORDER BY t DESC`;
    const { rows } = await this.pool.query<{ sid: string; capped: boolean }>(sql, args);
    const out: GroupSummary[] = [];
    const capped = rows.some((r) => r.capped);
    const covered = new Set<string>();
    for (const { sid } of rows) {
      if (covered.has(sid)) continue;
      const c = await this.foreignGroup(sid);
      if (!c) continue;
      for (const id of c.record.callIds) covered.add(id);
      const s = summarize(foldCalls(c.record.messages), c.record.callIds, c.record.correlationIds, c.record.links, Date.now() * 1000);
      if (!matches(q, s, c.record) || (cursor && !before(s, cursor))) continue;
      out.push(s);
      if (out.length > q.limit) break;
    }
    return { items: out, capped };
  }

  callStats(q: StatsQuery): Promise<StatsRows> {
    return pgStats(this.pool, q);
  }

  async getMessage(id: string): Promise<StoredMessage | null> {
    const ref = parseMessageId(id);
    if (!ref) return null;
    const [m] = await this.readRows(`${selectRow(ref.profile)} WHERE create_date = $1 AND id = $2`, [isoMicros(ref.ts), ref.id]);
    return m ?? null;
  }

  async findRequests(method: string, since: EpochMicros, until: EpochMicros): Promise<StoredMessage[]> {
    const p = profileOf(1, method, method);
    const found = await this.readRows(`${selectRow(p)} WHERE create_date BETWEEN $1 AND $2 AND data_header->>'method' = $3`,
      [isoMicros(since), isoMicros(until), method]);
    return found.sort(byTimeThenId);
  }

  purge(cut: RetentionCutoffs): Promise<number> {
    return purgeHomer(this.pool, this.parts, cut);
  }

  async counts(): Promise<StoreCounts> {
    const n = async (sql: string) => Number((await this.pool.query(sql)).rows[0].n);
    return {
      messages: await n(`SELECT (${HOMER_PROFILES.map((p) => `(SELECT count(*) FROM ${tableName(p)})`).join(' + ')}) AS n`),
      calls: await n('SELECT count(*) AS n FROM hepflow_calls'),
      groups: await n('SELECT count(*) AS n FROM hepflow_groups WHERE start IS NOT NULL'),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.end();
  }
}

function newestFirst(a: GroupSummary, b: GroupSummary): number {
  return b.start - a.start || (a.groupId < b.groupId ? 1 : a.groupId > b.groupId ? -1 : 0);
}

/** Strictly after the cursor in page order (start descending, then group id descending). */
function before(s: GroupSummary, c: Cursor): boolean {
  return s.start < c.start || (s.start === c.start && s.groupId < String(c.id));
}

/** Every filter of `q` against one whole group, as the SQLite store applies them. */
function matches(q: CallQuery, s: GroupSummary, g: GroupRecord): boolean {
  const ms = g.messages;
  const ids = new Set([...g.callIds, ...g.correlationIds]);
  if (q.from !== undefined && s.end < q.from) return false;
  if (q.to !== undefined && s.start > q.to) return false;
  if (q.callId && !ids.has(q.callId)) return false;
  if (q.correlationId && !ids.has(q.correlationId)) return false;
  if (q.user && !ms.some((m) => m.fromUser === q.user || m.toUser === q.user)) return false;
  if (q.ip && !ms.some((m) => m.srcIp === q.ip || m.dstIp === q.ip)) return false;
  if (q.method && !ms.some((m) => m.method === q.method!.toUpperCase())) return false;
  if (q.status !== undefined && !ms.some((m) => m.status === q.status)) return false;
  const t = q.q;
  if (t && !ids.has(t) && !ms.some((m) => m.fromUser === t || m.toUser === t || m.srcIp === t || m.dstIp === t)) return false;
  if (q.disposition && s.disposition !== q.disposition) return false;
  if (q.problems?.length && !q.problems.some((p) => s.problems.includes(p))) return false;
  if (q.minPddMs !== undefined && !(s.pddMs !== null && s.pddMs >= q.minPddMs)) return false;
  if (q.minDurationMs !== undefined && !(s.durationMs !== null && s.durationMs >= q.minDurationMs)) return false;
  if (q.maxDurationMs !== undefined && !(s.durationMs !== null && s.durationMs <= q.maxDurationMs)) return false;
  return true;
}

/** A Call-ID as it may appear in raw: as is, and percent-encoded inside a Refer-To URI (RFC 3891 §6.1). */
function likePatterns(id: string): string[] {
  const encoded = id.replace(/[@;=?&%: ]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return encoded === id ? [containsPattern(id)] : [containsPattern(id), containsPattern(encoded)];
}

function toLink(r: Record<string, any>): StoredLink {
  return { callId: r.call_id, target: r.target, rule: r.rule as LinkRule, header: r.header, value: r.value,
    messageId: r.message_id, ts: Number(r.ts) };
}
