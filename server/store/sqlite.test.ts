import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { statsCounts, statsRecount } from '../testing/stats-counts.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite.ts';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { migrate, migrations } from './sqlite-schema.ts';
import { describeStoreSuite, makeCall, makeMessage } from '../testing/store-suite.ts';
import { describeKpiSearchSuite } from '../testing/kpi-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'hepflow-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreSuite('SQLite', {
  async open() { return openSqliteStore(join(dir, `suite-${n++}.db`)); },
  async destroy(store) { await store.close(); },
});

describeStoreSuite('SQLite with a writer thread', {
  async open() { return openThreadedSqliteStore(join(dir, `threaded-${n++}.db`)); },
  async destroy(store) { await store.close(); },
});

describeKpiSearchSuite('SQLite with a writer thread', {
  async open() { return openThreadedSqliteStore(join(dir, `kpi-${n++}.db`)); },
  async destroy(store) { await store.close(); },
});

describe('SQLite file', () => {
  it('keeps what was stored across a close and reopen, in WAL mode', async () => {
    const path = join(dir, 'persist', 'hepflow.db');
    const a = openSqliteStore(path);
    await a.insert(makeCall('kept', 1_700_000_000_000_000));
    await a.close();
    const b = openSqliteStore(path);
    expect((await b.getGroup('kept'))?.messages).toHaveLength(6);
    expect(await b.counts()).toEqual({ messages: 6, calls: 1, groups: 1 });
    await b.close();
  });
});

describe('SQLite search rows read again', () => {
  it('follow a group that a later call joined: its ids and its kind, not what an earlier search read', async () => {
    const store = openSqliteStore(join(dir, 'again.db'));
    const t = 1_700_000_000_000_000;
    await store.insert(makeCall('first', t));
    const row = async () => (await store.searchGroups({ limit: 10 })).items.map((g) => [g.callIds, g.scenario]);
    expect(await row()).toEqual([[['first'], 'basic']]);
    // A call that replaces the first (RFC 3891), answered: an attended transfer without its REFER.
    await store.insert([makeMessage({ callId: 'second', ts: t + 10_000_000, viaBranch: 'z9hG4bK2',
      links: [{ target: 'first', rule: 'replaces', header: 'Replaces', value: 'first;to-tag=tt;from-tag=ft1' }] })]);
    expect(await row()).toEqual([[['first', 'second'], 'attended-transfer']]);
    await store.close();
  });
});

describe('SQLite file written before the search rows had KPIs (schema version 1)', () => {
  /** A file as hepflow wrote it at version 1: today's, less what the later migrations added. */
  function downgrade(path: string): void {
    const db = new Database(path);
    // Migration 8: calls, terms and messages keyed by Call-ID again, ids with is_call.
    db.exec(`CREATE TABLE calls_v7 (call_id TEXT PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL, messages INTEGER NOT NULL,
        first_req_ts INTEGER, method TEXT, cseq_num INTEGER, caller TEXT, callee TEXT, status INTEGER, status_ts INTEGER, kpi TEXT,
        disposition TEXT, pdd_ms INTEGER, setup_ms INTEGER, duration_ms INTEGER, final_status INTEGER, problems INTEGER NOT NULL DEFAULT 0,
        fail_peer TEXT) WITHOUT ROWID;
      INSERT INTO calls_v7 SELECT call_id, start, end, messages, first_req_ts, method, cseq_num, caller, callee, status, status_ts, kpi,
        disposition, pdd_ms, setup_ms, duration_ms, final_status, problems, fail_peer FROM calls;
      CREATE TABLE terms_v7 (kind TEXT NOT NULL, term TEXT NOT NULL, call_id TEXT NOT NULL, PRIMARY KEY (kind, term, call_id)) WITHOUT ROWID;
      INSERT INTO terms_v7 SELECT t.kind, t.term, i.key FROM terms t JOIN ids i ON i.call = t.call;
      CREATE TABLE ids_v7 (key TEXT PRIMARY KEY, group_id INTEGER NOT NULL, is_call INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
      INSERT INTO ids_v7 SELECT key, group_id, call IS NOT NULL FROM ids;
      DROP TABLE calls; DROP TABLE terms; DROP TABLE ids;
      ALTER TABLE calls_v7 RENAME TO calls; ALTER TABLE terms_v7 RENAME TO terms; ALTER TABLE ids_v7 RENAME TO ids;
      CREATE INDEX ids_group ON ids (group_id);
      DROP INDEX messages_call; ALTER TABLE messages DROP COLUMN call; CREATE INDEX messages_call ON messages (call_id, ts);`);
    db.exec(`DROP TABLE stats_minutes; DROP TABLE stats_pdd_hours; ${['insert', 'delete', 'cell', 'duration', 'pdd'].map((t) => `DROP TRIGGER groups_stats_${t};`).join(' ')}
      DROP TABLE group_ips; DROP INDEX groups_disposition; DROP INDEX groups_problems;
      ALTER TABLE calls DROP COLUMN fail_peer; ALTER TABLE groups DROP COLUMN fail_peer;
      ALTER TABLE messages DROP COLUMN via_ip; ALTER TABLE messages DROP COLUMN contact_ip;
      ${['kpi', 'disposition', 'pdd_ms', 'setup_ms', 'duration_ms', 'final_status', 'problems'].map((c) => `ALTER TABLE calls DROP COLUMN ${c};`).join('\n')}
      ${['disposition', 'pdd_ms', 'setup_ms', 'duration_ms', 'final_status', 'problems'].map((c) => `ALTER TABLE groups DROP COLUMN ${c};`).join('\n')}`);
    db.pragma('user_version = 1');
    db.close();
  }

  it('folds the KPIs of the calls it holds when opened, and goes on from them with later messages', async () => {
    const path = join(dir, 'v1.db');
    // Recent: the ringing call must still be within Timer B when searched.
    const t = Date.now() * 1000 - 15_000_000;
    const a = openSqliteStore(path);
    await a.insert(makeCall('done', t));
    // A call still ringing at the upgrade: its 200 comes after.
    const ringing = makeCall('ringing', t + 10_000_000);
    await a.insert([ringing[0], { ...ringing[2], status: 180, reason: 'Ringing', ts: t + 10_020_000 }]);
    await a.close();
    downgrade(path);

    const b = openSqliteStore(path);
    const version = new Database(path, { readonly: true });
    expect(version.pragma('user_version', { simple: true })).toBe(migrations.length);
    version.close();
    const kpis = async () => (await b.searchGroups({ limit: 10 })).items.map((g) => [g.groupId, g.disposition, g.pddMs, g.setupMs, g.durationMs]);
    expect(await kpis()).toEqual([['ringing', 'in-progress', 20, null, null], ['done', 'answered', 50, 50, 4950]]);
    // The stats, of every call and of an address, count the calls stored before (migrations 6 and 7).
    // Summed over the minutes: the two calls, 10 s apart, may lie in two.
    const byAddress = async (ip?: string) => {
      const calls = new Map<string, number>();
      for (const c of (await b.callStats({ ip })).cells) calls.set(c.disposition, (calls.get(c.disposition) ?? 0) + c.calls);
      return [...calls].sort();
    };
    expect(await byAddress()).toEqual([['answered', 1], ['in-progress', 1]]);
    expect(await byAddress('10.0.0.2')).toEqual([['answered', 1], ['in-progress', 1]]);
    expect(statsCounts(path).minutes.length).toBeGreaterThan(0);
    expect(statsCounts(path)).toEqual(statsRecount(path));
    await b.insert([ringing[2]]);
    expect(await kpis()).toEqual([['ringing', 'answered', 20, 50, null], ['done', 'answered', 50, 50, 4950]]);
    expect(await byAddress()).toEqual([['answered', 2]]);
    expect(await byAddress('10.0.0.2')).toEqual([['answered', 2]]);
    expect((await b.searchGroups({ limit: 10, disposition: 'answered', minDurationMs: 4000 })).items.map((g) => g.groupId)).toEqual(['done']);
    await b.close();
  });

  it('walks the disposition index and the problems index rather than every group of the window', () => {
    const db = new Database(join(dir, 'plan.db'));
    migrate(db);
    const plan = (where: string) => (db.prepare(`EXPLAIN QUERY PLAN SELECT g.* FROM groups g WHERE g.start IS NOT NULL
      AND g.end >= 0 AND ${where} ORDER BY g.start DESC, g.id DESC LIMIT 10`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(`g.disposition = 'busy'`)).toMatch(/USING INDEX groups_disposition/);
    expect(plan('g.problems != 0 AND (g.problems & 4) != 0')).toMatch(/USING INDEX groups_problems/);
    db.close();
  });
});

describe('SQLite with a writer thread, when a write fails', () => {
  it('retries the packed batch itself until it is stored, once, reporting each failed attempt', async () => {
    const path = join(dir, 'retry.db');
    const store = await openThreadedSqliteStore(path);
    expect(store.retriesWrites).toBe(true);
    // A second connection makes the writer's inserts fail, as a full disk or a foreign lock would.
    const other = new Database(path);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    const failures: string[] = [];
    const batch = makeCall('retried', 1_700_000_000_000_000);
    const stored = store.insert(batch, (err) => failures.push(err.message));
    batch.length = 0; // the store keeps its own packed copy
    while (failures.length < 2) await new Promise((r) => setTimeout(r, 20));
    other.exec('DROP TRIGGER refuse');
    await stored;
    expect(failures[0]).toMatch(/refused by test/);
    expect(await store.counts()).toEqual({ messages: 6, calls: 1, groups: 1 });
    other.close();
    await store.close();
  });
});

describe('SQLite with a writer thread, checkpointing', () => {
  it('copies the WAL into the database file on a thread of its own, long before the writer would', async () => {
    const path = join(dir, 'checkpointed.db');
    const store = await openThreadedSqliteStore(path);
    const before = statSync(path).size;
    // ~2 MB of messages: far below the writer's own checkpoint (128 MiB of WAL).
    for (let i = 0; i < 50; i++) await store.insert(makeCall(`ckpt-${i}`, 1_700_000_000_000_000 + i, { raw: 'x'.repeat(6000) }));
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
    expect(await store.counts()).toMatchObject({ messages: 300 });
    await store.close();
  });
});
