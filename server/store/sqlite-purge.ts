/**
 * The SQLite retention sweep, by kind (store/retention.ts): whole groups once they ended before
 * their kind's cutoff, then the old messages of non-call legs that are still going (a REGISTER
 * refreshed under one Call-ID). Each step is one short transaction, with a yield in between, so
 * that ingest, on the same writer thread, waits at most one step (a page of groups or legs).
 */
import type Database from 'better-sqlite3';
import { CALL_LEG_METHODS, type RetentionCutoffs } from './retention.ts';

/** Groups looked at per step, in order of their end: each step deletes at most these. */
const GROUP_PAGE = 500;
/** Legs looked at per step of the non-call trim (rows of `calls`, by number). */
const LEG_PAGE = 1000;

const CALL_METHODS_SQL = CALL_LEG_METHODS.map((m) => `'${m}'`).join(', ');
/** True for a group (`g`) with a call leg; its own method (the earliest leg's) settles most without a lookup. */
const IS_CALL_GROUP = `(g.method IN (${CALL_METHODS_SQL}) OR EXISTS (SELECT 1 FROM ids j JOIN calls c ON c.id = j.call
  WHERE j.group_id = g.id AND c.method IN (${CALL_METHODS_SQL})))`;

const yieldToIngest = () => new Promise((r) => setImmediate(r));

/**
 * The statements that delete the search terms of the calls `calls` numbers (SQL with named
 * parameters), found by primary key from the users and addresses of the calls' requests, which
 * the insert wrote them from (sqlite-insert.ts). terms has no index by call, and one would cost
 * every insert: a DELETE by Call-ID alone scanned the whole table, 380 ms a group at 1 M calls,
 * 190 s for one step of 500. Run while the calls' messages are still there.
 */
export function termDeletes(db: Database.Database, calls: string): Database.Statement[] {
  const of = (kind: 'user' | 'ip', a: string, b: string) => db.prepare(`DELETE FROM terms WHERE kind = '${kind}' AND call IN (${calls})
    AND term IN (SELECT ${a} FROM messages WHERE call IN (${calls}) AND method IS NOT NULL
      UNION SELECT ${b} FROM messages WHERE call IN (${calls}) AND method IS NOT NULL)`);
  return [of('user', 'from_user', 'to_user'), of('ip', 'src_ip', 'dst_ip')];
}

/** Deletes what retention no longer keeps; answers the messages deleted. */
export async function purge(db: Database.Database, cut: RetentionCutoffs): Promise<number> {
  return (await purgeGroups(db, cut)) + (await trimOtherLegs(db, cut.other));
}

/**
 * Whole groups that ended before their kind's cutoff, with their messages, legs, terms, ids,
 * addresses (group_ips) and links. Walks the groups that ended before the later cutoff in order
 * of (end, id), a page a step, so that the calls kept between the two cutoffs are looked at once
 * per sweep, not once a step.
 */
async function purgeGroups(db: Database.Database, cut: RetentionCutoffs): Promise<number> {
  const page = db.prepare(`SELECT g.id, g.end,
      CASE WHEN g.end < @min THEN 1 WHEN ${IS_CALL_GROUP} THEN g.end < @calls ELSE g.end < @other END AS stale
    FROM groups g WHERE (g.end, g.id) > (@end, @id) AND g.end < @max ORDER BY g.end, g.id LIMIT ${GROUP_PAGE}`);
  const inGroup = 'SELECT call FROM ids WHERE group_id = @group AND call IS NOT NULL';
  const dropTerms = termDeletes(db, inGroup);
  const dropMessages = db.prepare(`DELETE FROM messages WHERE call IN (${inGroup})`);
  const dropRest = [
    db.prepare('DELETE FROM links WHERE call_id IN (SELECT key FROM ids WHERE group_id = @group)'),
    db.prepare(`DELETE FROM calls WHERE id IN (${inGroup})`),
    db.prepare('DELETE FROM ids WHERE group_id = @group'),
    db.prepare('DELETE FROM group_ips WHERE group_id = @group'),
    db.prepare('DELETE FROM groups WHERE id = @group'),
  ];
  type Row = { id: number; end: number; stale: number };
  const step = db.transaction((at: { end: number; id: number }) => {
    const rows = page.all({ ...at, min: Math.min(cut.calls, cut.other), max: Math.max(cut.calls, cut.other), calls: cut.calls, other: cut.other }) as Row[];
    let messages = 0;
    for (const { id, stale } of rows) {
      if (!stale) continue;
      for (const d of dropTerms) d.run({ group: id });
      messages += dropMessages.run({ group: id }).changes;
      for (const d of dropRest) d.run({ group: id });
    }
    return { rows, messages };
  });
  let at = { end: -Infinity, id: 0 };
  let total = 0;
  for (;;) {
    const { rows, messages } = step(at);
    total += messages;
    if (rows.length < GROUP_PAGE) return total;
    at = { end: rows[rows.length - 1].end, id: rows[rows.length - 1].id };
    await yieldToIngest();
  }
}

/**
 * Messages before `other` of legs that are not calls and whose group has no call leg, the legs
 * themselves going on past it; each leg's and group's start and count then follow what is left.
 */
async function trimOtherLegs(db: Database.Database, other: number): Promise<number> {
  if (other <= 0) return 0;
  const page = db.prepare(`SELECT id, start, method FROM calls WHERE id > ? ORDER BY id LIMIT ${LEG_PAGE}`);
  const callGroup = db.prepare(`SELECT 1 FROM ids i JOIN groups g ON g.id = i.group_id WHERE i.call = ? AND ${IS_CALL_GROUP}`).pluck();
  const del = db.prepare('DELETE FROM messages WHERE call = ? AND ts < ?');
  const left = db.prepare('SELECT min(ts) AS start, count(*) AS n FROM messages WHERE call = ? AND ts >= ?');
  const setLeg = db.prepare('UPDATE calls SET start = ?, messages = ? WHERE id = ?');
  // Its number stays in ids: a later message of the leg writes its row again under it.
  const dropLeg = db.prepare('DELETE FROM calls WHERE id = ?');
  // A leg still going keeps its terms: its later requests name the same users and addresses.
  const dropTerms = termDeletes(db, '@call');
  const setGroup = db.prepare(`UPDATE groups SET
      start = (SELECT min(c.start) FROM ids j JOIN calls c ON c.id = j.call WHERE j.group_id = groups.id),
      messages = (SELECT coalesce(sum(c.messages), 0) FROM ids j JOIN calls c ON c.id = j.call WHERE j.group_id = groups.id)
    WHERE id = (SELECT group_id FROM ids WHERE call = ?)`);
  type Leg = { id: number; start: number; method: string | null };
  const step = db.transaction((legs: Leg[]) => {
    let removed = 0;
    for (const leg of legs) {
      if (leg.start >= other || (CALL_LEG_METHODS as readonly string[]).includes(leg.method ?? '') || callGroup.get(leg.id)) continue;
      const rest = left.get(leg.id, other) as { start: number | null; n: number };
      if (!rest.n) for (const d of dropTerms) d.run({ call: leg.id });
      removed += del.run(leg.id, other).changes;
      if (rest.n) setLeg.run(rest.start, rest.n, leg.id);
      else dropLeg.run(leg.id);
      setGroup.run(leg.id);
    }
    return removed;
  });
  let after = 0;
  let total = 0;
  for (;;) {
    const legs = page.all(after) as Leg[];
    if (!legs.length) return total;
    total += step(legs);
    after = legs[legs.length - 1].id;
    await yieldToIngest();
  }
}
