import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite.ts';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { describeStoreSuite, makeCall } from '../testing/store-suite.ts';

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

describe('SQLite with a writer thread, checkpointing', () => {
  it('copies the WAL into the database file on a thread of its own, long before the writer would', async () => {
    const path = join(dir, 'checkpointed.db');
    const store = await openThreadedSqliteStore(path);
    const before = statSync(path).size;
    // ~2 MB of messages: far below the writer's own checkpoint (64 MiB of WAL).
    for (let i = 0; i < 50; i++) await store.insert(makeCall(`ckpt-${i}`, 1_700_000_000_000_000 + i, { raw: 'x'.repeat(6000) }));
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
    expect(await store.counts()).toMatchObject({ messages: 300 });
    await store.close();
  });
});
