import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { statsCounts, statsRecount } from '../testing/stats-counts.ts';
import { openSqliteStore } from './sqlite.ts';
import { termDeletes } from './sqlite-purge.ts';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { describeRetentionSuite } from '../testing/retention-suite.ts';
import { makeCall, makeMessage } from '../testing/store-suite.ts';
import type { MessageInput, Store } from './types.ts';

const DAY = 86_400_000_000; // µs
const NOW = 1_700_000_000_000_000 + 40 * DAY;

const files = new Map<Store, string>();
// The default store: the sweep runs on its writer thread.
describeRetentionSuite('SQLite', {
  async open() {
    const file = join(mkdtempSync(join(tmpdir(), 'hepflow-purge-')), 'hepflow.db');
    const store = await openThreadedSqliteStore(file);
    files.set(store, file);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(dirname(files.get(store)!), { recursive: true, force: true });
  },
});

describe('SQLite retention steps', () => {
  /*
   * 1,500 groups that ended between the two cutoffs, more than one step looks at: calls and
   * OPTIONS pings alternate, so every step both keeps and deletes.
   */
  it('walks every group past one step, deleting the pings and keeping the calls between them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepflow-purge-'));
    const store = openSqliteStore(join(dir, 'hepflow.db'));
    try {
      const batch: MessageInput[] = [];
      for (let i = 0; i < 1500; i++) {
        const t = NOW - 10 * DAY + i * 1_000_000;
        if (i % 2) batch.push(makeMessage({ callId: `ping-${i}`, ts: t, method: 'OPTIONS', cseqMethod: 'OPTIONS' }));
        else batch.push(makeMessage({ callId: `call-${i}`, ts: t }));
      }
      await store.insert(batch);
      expect(await store.purge({ calls: NOW - 30 * DAY, other: NOW - 2 * DAY })).toBe(750);
      expect(await store.counts()).toEqual({ messages: 750, calls: 750, groups: 750 });
      expect(await store.getGroup('call-1498')).not.toBeNull();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes the search terms and rows by address of what it deletes and keeps those of what stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hepflow-purge-'));
    const file = join(dir, 'hepflow.db');
    const store = openSqliteStore(file);
    const old = NOW - 10 * DAY;
    try {
      await store.insert([
        ...makeCall('old-call', old, { fromUser: 'ann', srcIp: '10.9.0.1' }),
        ...makeCall('new-call', NOW - 1000, { fromUser: 'ben', srcIp: '10.9.0.2' }),
        // A registration that ended before the cutoff, and one still refreshing after it.
        makeMessage({ callId: 'reg-gone', ts: old, method: 'REGISTER', cseqMethod: 'REGISTER', fromUser: 'cid', toUser: 'cid', srcIp: '10.9.0.3' }),
        makeMessage({ callId: 'reg-on', ts: old, method: 'REGISTER', cseqMethod: 'REGISTER', fromUser: 'dan', toUser: 'dan', srcIp: '10.9.0.4' }),
        makeMessage({ callId: 'reg-on', ts: NOW - 1000, method: 'REGISTER', cseqMethod: 'REGISTER', cseqNum: 2, fromUser: 'dan', toUser: 'dan', srcIp: '10.9.0.4' }),
      ]);
      await store.purge({ calls: NOW - 2 * DAY, other: NOW - 2 * DAY });
      const found = async (q: { user?: string; ip?: string }) => (await store.searchGroups({ limit: 10, ...q })).items.map((g) => g.groupId);
      expect(await found({ user: 'ann' })).toEqual([]);
      expect(await found({ ip: '10.9.0.3' })).toEqual([]);
      expect(await found({ user: 'ben' })).toEqual(['new-call']);
      expect(await found({ ip: '10.9.0.4' })).toEqual(['reg-on']);
      const db = new Database(file, { readonly: true });
      try {
        const left = db.prepare('SELECT DISTINCT i.key FROM terms t JOIN ids i ON i.call = t.call ORDER BY i.key').pluck().all();
        expect(left).toEqual(['new-call', 'reg-on']);
        // The stats' rows by address: the calls kept only (both had theirs).
        const addressed = db.prepare(`SELECT DISTINCT g.first_call FROM group_ips a LEFT JOIN groups g ON g.id = a.group_id`).pluck().all();
        expect(addressed).toEqual(['new-call']);
        // The stats' counts: the kept call's minute, of every call and of its addresses, and no other.
        expect(statsCounts(file)).toEqual(statsRecount(file));
        expect(statsCounts(file).minutes.map(([ip, minute]) => [ip, minute * 60_000_000 <= NOW - 1000])).toEqual([['', true], ['10.0.0.2', true], ['10.9.0.2', true]]);
        // By primary key: a DELETE by Call-ID alone scans every term of every call stored.
        for (const calls of ['SELECT call FROM ids WHERE group_id = @group AND call IS NOT NULL', '@call']) {
          for (const st of termDeletes(db, calls)) {
            const plan = (db.prepare(`EXPLAIN QUERY PLAN ${st.source}`).all({ group: 1, call: 1 }) as { detail: string }[]).map((r) => r.detail);
            expect(plan).toContain('SEARCH terms USING PRIMARY KEY (kind=? AND term=? AND call=?)');
            expect(plan.filter((d) => d.startsWith('SCAN'))).toEqual([]);
          }
        }
      } finally {
        db.close();
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
