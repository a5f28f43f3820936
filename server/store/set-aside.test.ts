/**
 * The stores' backstop: a batch refused for its content is split, the messages around the bad one
 * are stored, and the one that cannot be stored even in its safe form is set aside and reported.
 * Real stores (an SQLite file with its writer thread, PostgreSQL) driven through insert() directly,
 * bypassing the collector's own escaping.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { openPostgresStore } from './postgres.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../testing/postgres.ts';
import { makeMessage } from '../testing/store-suite.ts';
import { NUL_MARK } from '../collector/storable.ts';
import type { MessageInput, Store } from './types.ts';

const T0 = 1_700_000_000_000_000; // µs

/** 21 one-message calls "m-0" … "m-20"; message 10 is `bad`. */
function batchAround(bad: Partial<MessageInput>): MessageInput[] {
  return Array.from({ length: 21 }, (_, i) =>
    makeMessage({ callId: `m-${i}`, ts: T0 + i, raw: `INVITE ${i}`, ...(i === 10 ? bad : {}) }));
}

async function insertCollecting(store: Store, batch: MessageInput[]): Promise<{ reason: string; callId: string }[]> {
  const setAside: { reason: string; callId: string }[] = [];
  await store.insert(batch, undefined, (reason, m) => setAside.push({ reason, callId: m.callId }));
  return setAside;
}

describe('SQLite writer thread: a batch refused for its content', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hepflow-setaside-'));
    store = await openThreadedSqliteStore(join(dir, 'store.db'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the 20 messages around one that violates a constraint and sets that one aside, once', async () => {
    // A message without a Call-ID cannot come from the collector: it stands for any row SQLite refuses.
    const setAside = await insertCollecting(store, batchAround({ callId: null as unknown as string }));
    expect(setAside).toEqual([{ reason: 'sqlite_constraint_notnull', callId: null }]);
    expect((await store.counts()).messages).toBe(20);
    for (const i of [0, 9, 11, 20]) expect((await store.getGroup(`m-${i}`))?.messages).toHaveLength(1);
  });

  it('stores a NUL as sent (SQLite text holds it), and the batch after it', async () => {
    const setAside = await insertCollecting(store, [makeMessage({ callId: 'nul\0sqlite', ts: T0 + 100 }), makeMessage({ callId: 'after', ts: T0 + 101 })]);
    expect(setAside).toEqual([]);
    expect((await store.counts()).messages).toBe(22);
    expect((await store.getGroup('after'))?.messages).toHaveLength(1);
  });
});

describe.skipIf(noPostgres)('PostgreSQL: a batch refused for its content', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await openPostgresStore(pgConfig(db.url));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('stores a message with a NUL in its Call-ID escaped and flagged, and the 20 around it as they are', async () => {
    const setAside = await insertCollecting(store, batchAround({ callId: 'bad\0id', fromUser: 'al\0ice', raw: 'INVITE \0' }));
    expect(setAside).toEqual([]);
    expect((await store.counts()).messages).toBe(21);
    const g = await store.getGroup(`bad${NUL_MARK}id`);
    expect(g?.messages).toHaveLength(1);
    expect(g!.messages[0].problems).toBe('nul-byte');
    expect(g!.messages[0].raw).toBe(`INVITE ${NUL_MARK}`);
    expect((await store.getGroup('m-11'))!.messages[0].raw).toBe('INVITE 11');
  });

  it('sets aside, with the condition name, a message refused even escaped, and stores the rest', async () => {
    // Random text does not compress: past btree's 2704-byte index row limit (SQLSTATE 54000).
    const huge = randomBytes(4000).toString('hex');
    const batch = batchAround({ callId: huge }).map((m, i) => ({ ...m, callId: i === 10 ? huge : `n-${i}` }));
    const setAside = await insertCollecting(store, batch);
    expect(setAside).toEqual([{ reason: 'program_limit_exceeded', callId: huge }]);
    for (const i of [0, 9, 11, 20]) expect((await store.getGroup(`n-${i}`))?.messages).toHaveLength(1);
    expect((await store.counts()).messages).toBe(21 + 20);
  });
});
