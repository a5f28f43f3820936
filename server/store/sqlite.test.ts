import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite.ts';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { describeStoreSuite, makeCall } from './store.suite.ts';

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
