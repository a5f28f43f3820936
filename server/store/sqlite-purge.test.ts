import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openSqliteStore } from './sqlite.ts';
import { openThreadedSqliteStore } from './sqlite-threaded.ts';
import { describeRetentionSuite } from '../testing/retention-suite.ts';
import { makeMessage } from '../testing/store-suite.ts';
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
});
