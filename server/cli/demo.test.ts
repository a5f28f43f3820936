/**
 * `hepflow serve --demo` twice on one SQLite store: the second run finds the first demo and sends
 * nothing, so the store holds each demo call once (not a second copy hours later).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServe } from '../testing/cli-process.ts';
import { waitFor } from '../testing/harness.ts';
import { stableDemoCallIds } from './demo.ts';

/** Rows in the store, and distinct Call-IDs. */
function contents(path: string): { messages: number; callIds: number } {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS messages, count(DISTINCT call_id) AS callIds FROM messages').get() as { messages: number; callIds: number };
  } finally {
    db.close();
  }
}

const DEMO_OUTCOMES = ['demo loaded', 'demo already in the store: left as it was'];

/** Runs `serve --demo` until the demo is handled, then stops it with SIGTERM (which stores what was received). */
async function demoRun(store: string): Promise<string> {
  const p = await startServe(store, ['--demo', '--no-udp']);
  try {
    const line = await waitFor(() => p.log.find((l) => DEMO_OUTCOMES.includes(l.msg)), 'the demo handled', 60_000);
    return line.msg as string;
  } finally {
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  }
}

describe('hepflow serve --demo', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'hepflow-demo-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('knows the demo by Call-IDs that do not depend on when it is laid out', () => {
    const ids = stableDemoCallIds();
    expect(ids.length).toBeGreaterThan(20);
    expect(ids).toContain('22b9d171c3ca0f838a654e61@10.0.1.10');
  });

  it('a second --demo on the same store leaves it as it was', { timeout: 180_000 }, async () => {
    const store = join(dir, 'demo.db');
    expect(await demoRun(store)).toBe('demo loaded');
    const first = contents(store);
    expect(first.messages).toBeGreaterThan(100);
    expect(await demoRun(store)).toBe('demo already in the store: left as it was');
    expect(contents(store)).toEqual(first);
  });
});
