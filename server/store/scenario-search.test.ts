/** Search by scenario kind (scenario-search.ts) over a real SQLite file: pages, cursors, the scan bound. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from './sqlite.ts';
import { searchByScenario } from './scenario-search.ts';
import { makeCall } from '../testing/store-suite.ts';
import type { CallQuery } from './types.ts';

const T0 = 1_700_000_000_000_000;

describe('searchByScenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-scenario-search-'));
  let store: SqliteStore;
  beforeAll(async () => {
    store = openSqliteStore(join(dir, 's.db'));
    // 30 basic calls, and one B2B call of two legs tied by a correlation id, begun among them.
    for (let i = 0; i < 30; i++) await store.insert(makeCall(`basic-${String(i).padStart(2, '0')}`, T0 + i * 1_000_000));
    const link = { target: 'b2b-key', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'b2b-key' };
    await store.insert(makeCall('leg-a', T0 + 12_500_000, { hepCorrelationId: 'b2b-key', links: [link] }));
    await store.insert(makeCall('leg-b', T0 + 12_600_000, { hepCorrelationId: 'b2b-key', links: [link] }));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pages = async (q: Omit<CallQuery, 'cursor'>, kind: 'basic' | 'b2b', scanMax?: number) => {
    const out: string[][] = [];
    let cursor: string | undefined;
    do {
      const p = await searchByScenario(store, { ...q, cursor }, kind, scanMax);
      out.push(p.items.map((g) => g.groupId));
      cursor = p.next ?? undefined;
    } while (cursor);
    return out;
  };

  it('pages through one kind in the search\'s order, each page full but the last', async () => {
    const got = await pages({ limit: 7 }, 'basic');
    expect(got.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(got.flat()).toEqual(Array.from({ length: 30 }, (_, i) => `basic-${String(29 - i).padStart(2, '0')}`));
    expect(await pages({ limit: 7 }, 'b2b')).toEqual([['leg-a']]);
  });

  it('answers what it found and a cursor to go on from once it has read scanMax groups', async () => {
    const got = await pages({ limit: 5 }, 'b2b', 10);
    expect(got.flat()).toEqual(['leg-a']);
    expect(got.length).toBeGreaterThan(1);
    expect(got.filter((p) => p.length === 0).length).toBe(got.length - 1);
  });
});
