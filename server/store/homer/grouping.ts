/**
 * Keeps hepflow's grouping tables up to date for one batch, inside the batch's transaction: reads
 * where the batch's ids are, and writes the plan correlate/grouping.ts makes of them.
 * Several collector processes write at once: the caller holds the advisory lock LOCK_GROUPS for
 * this part, so every read here sees all earlier batches (READ COMMITTED takes a fresh snapshot
 * per statement, and a previous holder has committed before the lock is granted). Merges are
 * therefore never lost and ids never duplicated; the Homer rows themselves are written before
 * the lock, in parallel. Statements are set-based (unnest), a constant number per batch.
 */
import type pg from 'pg';
import type { MessageInput } from '../types.ts';
import { type CallSummary, callOf, settleKpi, updateCall } from '../summary.ts';
import type { CallKpis } from '../call-kpi.ts';
import type { KpiState } from '../../kpi/state.ts';
import { planGrouping } from '../../correlate/grouping.ts';

/** A message of the batch with its stored id ("<profile>:<id>:<µs>"). */
export interface Written {
  m: MessageInput;
  messageId: string;
}

/** `kpis`: the writer's KPI windows (store/call-kpi.ts), one per process. */
export async function applyGrouping(c: pg.PoolClient, items: Written[], kpis: CallKpis): Promise<void> {
  const callKeys = new Set(items.map((w) => w.m.callId));
  const keys = new Set(callKeys);
  for (const w of items) for (const l of w.m.links) keys.add(l.target);

  const existing = new Map<string, { group: string; isCall: boolean }>();
  // Sizes of the groups involved come along, for union by size.
  const sizes = new Map<string, number>();
  const found = await c.query<{ key: string; group_id: string; is_call: boolean; size: number | null }>(
    'SELECT i.key, i.group_id, i.is_call, g.size FROM hepflow_ids i LEFT JOIN hepflow_groups g ON g.id = i.group_id WHERE i.key = ANY($1)',
    [[...keys]]);
  for (const r of found.rows) {
    existing.set(r.key, { group: r.group_id, isCall: r.is_call });
    sizes.set(r.group_id, r.size ?? 0);
  }
  const plan = planGrouping(items.map((w) => w.m), {
    groupOf: (key) => existing.get(key)?.group,
    sizeOf: (g) => sizes.get(g) ?? 0,
  });

  const groupOfKey = new Map<string, string>();
  if (plan.created.length) {
    const r = await c.query<{ id: string }>('INSERT INTO hepflow_groups (size) SELECT unnest($1::int[]) RETURNING id',
      [plan.created.map((keys) => keys.length)]);
    plan.created.forEach((keys, i) => { for (const k of keys) groupOfKey.set(k, r.rows[i].id); });
  }
  const moves = plan.merges.flatMap((m) => m.absorbed.map((loser) => [loser, m.into] as const));
  if (moves.length) {
    // "AND ... = ANY($1)" (here and below) gives the planner the index path whatever its statistics say.
    await c.query(`UPDATE hepflow_ids i SET group_id = m.w FROM unnest($1::bigint[], $2::bigint[]) AS m(l, w)
      WHERE i.group_id = m.l AND i.group_id = ANY($1)`,
      [moves.map((m) => m[0]), moves.map((m) => m[1])]);
    await c.query('DELETE FROM hepflow_groups WHERE id = ANY($1)', [moves.map((m) => m[0])]);
  }
  const grow = plan.merges.filter((m) => m.added);
  if (grow.length) {
    await c.query(`UPDATE hepflow_groups g SET size = g.size + d.n FROM unnest($1::bigint[], $2::int[]) AS d(id, n)
      WHERE g.id = d.id AND g.id = ANY($1)`,
      [grow.map((m) => m.into), grow.map((m) => m.added)]);
  }
  for (const m of plan.merges) for (const k of m.joined) groupOfKey.set(k, m.into);
  const fresh = [...groupOfKey.keys()];
  if (fresh.length) {
    await c.query('INSERT INTO hepflow_ids (key, group_id, is_call) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bool[])',
      [fresh, fresh.map((k) => groupOfKey.get(k)), fresh.map((k) => callKeys.has(k))]);
  }
  const nowCalls = [...callKeys].filter((k) => existing.has(k) && !existing.get(k)!.isCall);
  if (nowCalls.length) await c.query('UPDATE hepflow_ids SET is_call = true WHERE key = ANY($1)', [nowCalls]);

  await upsertCalls(c, items, kpis);
  await insertLinks(c, items);
  await refreshGroups(c, [...callKeys]);
}

async function upsertCalls(c: pg.PoolClient, items: Written[], kpis: CallKpis): Promise<void> {
  const ids = [...new Set(items.map((w) => w.m.callId))];
  const calls = new Map<string, CallSummary>();
  const r = await c.query('SELECT * FROM hepflow_calls WHERE call_id = ANY($1)', [ids]);
  for (const row of r.rows) {
    calls.set(row.call_id, { ...row, start: Number(row.start), end: Number(row.end), first_req_ts: nullNum(row.first_req_ts),
      cseq_num: nullNum(row.cseq_num), status_ts: nullNum(row.status_ts) });
  }
  // Read under LOCK_GROUPS: a row another collector wrote since is what this one goes on from.
  const states = new Map<string, KpiState | null>();
  for (const { m } of items) {
    const call = callOf(calls, m);
    let st = states.get(m.callId);
    if (st === undefined) states.set(m.callId, (st = kpis.open(call)));
    updateCall(call, m, st);
  }
  for (const [id, st] of states) if (st !== null) settleKpi(calls.get(id)!, st);
  const list = [...calls.values()];
  const col = <K extends keyof CallSummary>(k: K) => list.map((x) => x[k]);
  await c.query(`INSERT INTO hepflow_calls (call_id, start, "end", messages, first_req_ts, method, cseq_num, caller, callee, status, status_ts,
      kpi, disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[], $6::text[], $7::bigint[], $8::text[],
      $9::text[], $10::int[], $11::bigint[], $12::text[], $13::text[], $14::int[], $15::int[], $16::int[], $17::int[], $18::int[],
      $19::text[])
    ON CONFLICT (call_id) DO UPDATE SET start = EXCLUDED.start, "end" = EXCLUDED."end", messages = EXCLUDED.messages,
      first_req_ts = EXCLUDED.first_req_ts, method = EXCLUDED.method, cseq_num = EXCLUDED.cseq_num, caller = EXCLUDED.caller,
      callee = EXCLUDED.callee, status = EXCLUDED.status, status_ts = EXCLUDED.status_ts, kpi = EXCLUDED.kpi,
      disposition = EXCLUDED.disposition, pdd_ms = EXCLUDED.pdd_ms, setup_ms = EXCLUDED.setup_ms,
      duration_ms = EXCLUDED.duration_ms, final_status = EXCLUDED.final_status, problems = EXCLUDED.problems,
      fail_peer = EXCLUDED.fail_peer`,
  [col('call_id'), col('start'), col('end'), col('messages'), col('first_req_ts'), col('method'), col('cseq_num'),
    col('caller'), col('callee'), col('status'), col('status_ts'), col('kpi'), col('disposition'), col('pdd_ms'),
    col('setup_ms'), col('duration_ms'), col('final_status'), col('problems'), col('fail_peer')]);
  // Windows are kept once written; a transaction that then fails leaves rows they no longer match (call-kpi.ts).
  for (const [id, st] of states) if (st !== null) kpis.close(calls.get(id)!, st);
}

/** One row per (call, target, rule): the first message that carried the link explains it. */
async function insertLinks(c: pg.PoolClient, items: Written[]): Promise<void> {
  const rows = items.flatMap((w) => w.m.links.map((l) => [w.m.callId, l.target, l.rule, l.header, l.value, w.messageId, w.m.ts] as const));
  if (!rows.length) return;
  rows.sort((a, b) => a[6] - b[6]);
  await c.query(`INSERT INTO hepflow_links (call_id, target, rule, header, value, message_id, ts)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
    ON CONFLICT DO NOTHING`, [0, 1, 2, 3, 4, 5, 6].map((i) => rows.map((r) => r[i])));
}

/**
 * Recomputes the search row of every group holding one of `callIds`: first leg, span, counts,
 * the first leg's KPIs and every leg's problems (store/summary.ts groupKpi).
 * The cost must follow the groups touched, not the tables: `= ANY(ARRAY(subquery))` hands each
 * step to the planner as an array parameter, which it reads through the index (hepflow_ids_group,
 * then hepflow_calls' key) whatever its statistics say. A plain join on `group_id IN (...)` got
 * whole-table hash joins once the tables grew (75 ms a batch at 100k calls, growing with them).
 */
async function refreshGroups(c: pg.PoolClient, callIds: string[]): Promise<void> {
  await c.query(`WITH m AS MATERIALIZED (SELECT group_id, key FROM hepflow_ids
        WHERE group_id = ANY(ARRAY(SELECT group_id FROM hepflow_ids WHERE key = ANY($1)))),
    f AS (SELECT DISTINCT ON (m.group_id) m.group_id, c.call_id, c.start, c.caller, c.callee, c.method, c.status,
            c.disposition, c.pdd_ms, c.setup_ms, c.duration_ms, c.final_status,
            max(c."end") OVER w AS e, count(*) OVER w AS legs, sum(c.messages) OVER w AS msgs, bit_or(c.problems) OVER w AS probs,
            first_value(c.fail_peer) OVER latest AS fail_peer
          FROM m JOIN hepflow_calls c ON c.call_id = m.key WHERE c.call_id = ANY(ARRAY(SELECT key FROM m))
          -- latest: the latest leg that has a fail_peer first (store/summary.ts groupFailPeer)
          WINDOW w AS (PARTITION BY m.group_id),
            latest AS (PARTITION BY m.group_id ORDER BY c.fail_peer IS NULL, c.start DESC, c.call_id DESC)
          ORDER BY m.group_id, c.start, c.call_id)
    UPDATE hepflow_groups h SET first_call = f.call_id, start = f.start, "end" = f.e, legs = f.legs, messages = f.msgs,
      caller = f.caller, callee = f.callee, method = f.method, status = f.status, disposition = f.disposition,
      pdd_ms = f.pdd_ms, setup_ms = f.setup_ms, duration_ms = f.duration_ms, final_status = f.final_status, problems = f.probs,
      fail_peer = f.fail_peer
      FROM f WHERE h.id = f.group_id`, [callIds]);
}

function nullNum(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
