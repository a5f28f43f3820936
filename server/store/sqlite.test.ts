import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
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
