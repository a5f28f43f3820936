/**
 * The SQLite writer goes on from the rows it committed last (sqlite-written.ts) instead of reading
 * them back: whatever the batches, and whichever of them rolls back, every call's and group's row
 * must be what storing the same messages in one batch writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { defaults } from '../config.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { layoutScenarios, SCENARIOS, scenarioInferredBoxes, scenarioPackets, scenarioRules } from '../scenarios/index.ts';
import { openSqliteStore } from './sqlite.ts';
import { makeCall } from '../testing/store-suite.ts';
import type { MessageInput, Store } from './types.ts';
import { WrittenRows, type WrittenCall } from './sqlite-written.ts';
import type { CallSummary } from './summary.ts';
import { statsCounts, statsRecount } from '../testing/stats-counts.ts';

/** The library's messages as the collector hands them to its store (links found), in order. */
async function libraryMessages(): Promise<MessageInput[]> {
  const list = SCENARIOS.filter((s) => s.name !== 'large-group' && s.name !== 'long-call');
  const out: MessageInput[] = [];
  const recorder = {
    kind: 'sqlite', async insert(b: MessageInput[]) { out.push(...b); }, followCalls: () => async () => {},
  } as unknown as Store;
  const config = { ...defaults, batchSize: 1_000_000, correlationRules: scenarioRules(list), inferredBoxes: scenarioInferredBoxes(list) };
  const ingest = new Ingest({ store: recorder, config, metrics: new Metrics() });
  for (const { scenario, base } of layoutScenarios(list, 1_760_000_000_000_000)) {
    for (const p of scenarioPackets(scenario, base)) ingest.hep(p, { transport: 'udp', peer: '127.0.0.1:5060', receivedAt: base });
  }
  await ingest.close();
  return out;
}

/**
 * Every call's row, every group's search row and its addresses' rows (group_ips) by the group's
 * public id (group ids depend on the order groups were made in), and the stats' counts.
 */
function rows(path: string): { calls: unknown[]; groups: unknown[]; addresses: unknown[]; counts: ReturnType<typeof statsCounts>; misfiled: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      // Without the call's number: it follows the order calls were first stored in.
      calls: (db.prepare('SELECT * FROM calls ORDER BY call_id').all() as { id?: number }[]).map(({ id: _, ...c }) => c),
      groups: db.prepare(`SELECT first_call, size, start, end, legs, messages, caller, callee, method, status, disposition, pdd_ms,
        setup_ms, duration_ms, final_status, problems, fail_peer FROM groups WHERE legs > 0 ORDER BY first_call`).all(),
      addresses: db.prepare(`SELECT g.first_call, a.ip, a.start, a.disposition, a.final_status, a.duration_ms, a.pdd_ms, a.fail_peer
        FROM group_ips a JOIN groups g ON g.id = a.group_id ORDER BY g.first_call, a.ip`).all(),
      counts: statsCounts(path),
      // Messages, rows of calls and terms filed under a number that is not their Call-ID's (none).
      misfiled: db.prepare(`SELECT 'message', m.call_id FROM messages m LEFT JOIN ids i ON i.key = m.call_id WHERE i.call IS NOT m.call
        UNION ALL SELECT 'call', c.call_id FROM calls c LEFT JOIN ids i ON i.key = c.call_id WHERE i.call IS NOT c.id
        UNION ALL SELECT 'term', t.term FROM terms t LEFT JOIN ids i ON i.call = t.call WHERE i.key IS NULL`).raw(true).all(),
    };
  } finally {
    db.close();
  }
}

/**
 * What group_ips must hold, from the messages: each call group (one with a disposition) with every
 * address its requests came from or went to, and its own row's values.
 */
function addressesOfRequests(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT g.first_call, x.ip, g.start, g.disposition, g.final_status, g.duration_ms, g.pdd_ms, g.fail_peer
      FROM groups g JOIN (SELECT i.group_id, m.src_ip AS ip FROM ids i JOIN messages m ON m.call_id = i.key WHERE m.method IS NOT NULL
        UNION SELECT i.group_id, m.dst_ip FROM ids i JOIN messages m ON m.call_id = i.key WHERE m.method IS NOT NULL) x ON x.group_id = g.id
      WHERE g.disposition IS NOT NULL ORDER BY g.first_call, x.ip`).all();
  } finally {
    db.close();
  }
}

describe('SQLite rows written from the rows kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hepflow-written-'));
  let messages: MessageInput[];
  let whole: ReturnType<typeof rows>;
  beforeAll(async () => {
    messages = await libraryMessages();
    const store = openSqliteStore(join(dir, 'whole.db'));
    await store.insert(messages);
    await store.close();
    whole = rows(join(dir, 'whole.db'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('match one batch when the same messages come three at a time, links and all', async () => {
    const store = openSqliteStore(join(dir, 'pieces.db'));
    for (let i = 0; i < messages.length; i += 3) await store.insert(messages.slice(i, i + 3));
    await store.close();
    const pieces = rows(join(dir, 'pieces.db'));
    // The library has groups of several legs, linked by messages of later batches than their first.
    expect((whole.groups as { legs: number }[]).filter((g) => g.legs >= 3).length).toBeGreaterThan(5);
    expect(whole.misfiled).toEqual([]);
    expect(pieces).toEqual(whole);
    // The stats' rows by address follow the merges and every change of the groups' outcomes.
    expect(whole.addresses.length).toBeGreaterThan(100);
    expect(whole.addresses).toEqual(addressesOfRequests(join(dir, 'whole.db')));
    // The stats' counts follow them too.
    expect(whole.counts.minutes.length).toBeGreaterThan(100);
    expect(whole.counts).toEqual(statsRecount(join(dir, 'whole.db')));
  });

  it('keep the rows by address when the writer keeps nothing between batches and reads every row back', async () => {
    const store = openSqliteStore(join(dir, 'read-back.db'));
    for (let i = 0; i < messages.length; i += 3) {
      await store.insert(messages.slice(i, i + 3));
      expect(await store.purge({ calls: 0, other: 0 })).toBe(0); // deletes nothing, forgets what the writer kept
    }
    await store.close();
    // Not the problem bits: a purge also forgets the KPI copy windows, so a later retransmission is no longer one.
    const readBack = rows(join(dir, 'read-back.db'));
    expect(readBack.addresses).toEqual(whole.addresses);
    expect(readBack.counts).toEqual(whole.counts);
  });

  it('match one batch when batches fail after folding their calls and are written again', async () => {
    const store = openSqliteStore(join(dir, 'retried.db'));
    // NOT NULL refuses the last message: the whole batch rolls back, after its calls were folded.
    const poison = { ...messages[0], raw: null as unknown as string };
    let failed = 0;
    for (let i = 0; i < messages.length; i += 4) {
      const batch = messages.slice(i, i + 4);
      if ((i / 4) % 3 === 0) {
        await expect(store.insert([...batch, poison])).rejects.toThrow(/NOT NULL/);
        failed++;
      }
      await store.insert(batch);
    }
    await store.close();
    expect(failed).toBeGreaterThan(100);
    expect(rows(join(dir, 'retried.db'))).toEqual(whole);
  });

  it('rebuild the rows by address of a group that becomes a call when nothing of it is kept', async () => {
    // leg-a's 100 Trying is captured before its INVITE; leg-b, linked to leg-a, runs between other addresses.
    const link = { target: 'leg-a', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'leg-a' };
    const a = makeCall('leg-a', 1_700_000_000_000_000);
    const b = makeCall('leg-b', 1_700_000_000_500_000, { hepCorrelationId: 'leg-a', links: [link], srcIp: '10.0.0.7', dstIp: '10.0.0.8' });
    const path = join(dir, 'late-invite.db');
    const store = openSqliteStore(path);
    await store.insert([a[1], ...b]);
    // Its first leg has no INVITE yet: the group is no call, and has no rows by address.
    expect(rows(path)).toMatchObject({ groups: [{ first_call: 'leg-a', legs: 2, disposition: null }], addresses: [] });
    await store.purge({ calls: 0, other: 0 }); // the writer forgets the group's row
    await store.insert([a[0], ...a.slice(2)]);
    await store.close();
    const got = rows(path).addresses as { ip: string; disposition: string }[];
    expect(got.map((r) => [r.ip, r.disposition])).toEqual([['10.0.0.1', 'answered'], ['10.0.0.2', 'answered'],
      ['10.0.0.7', 'answered'], ['10.0.0.8', 'answered']]);
    expect(got).toEqual(addressesOfRequests(path));
    expect(statsCounts(path)).toEqual(statsRecount(path));
  });

  it('move the counts of a group whose start moves to another minute and hour', async () => {
    // leg-b, linked to the group of leg-a and leg-c (the bigger, which stays), began 2 s before
    // their hour: the group's first leg, start and PDD are now its.
    const hour = 1_700_002_800_000_000;
    const link = { target: 'leg-a', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'leg-a' };
    const path = join(dir, 'earlier-leg.db');
    const store = openSqliteStore(path);
    await store.insert([...makeCall('leg-a', hour + 1_000_000), ...makeCall('leg-c', hour + 3_000_000, { hepCorrelationId: 'leg-a', links: [link] })]);
    await store.insert(makeCall('leg-b', hour - 2_000_000, { hepCorrelationId: 'leg-a', links: [link] }));
    // leg-d, ringing, is kept by the writer; a copy of its INVITE captured 3 s earlier (another
    // capture agent's clock) moves its start, and not its outcome, across the hour.
    const d = makeCall('leg-d', hour + 7_200_000_000 + 1_000_000, { srcIp: '10.0.0.9' });
    await store.insert([...d.slice(0, 2), { ...d[1], status: 180, reason: 'Ringing', ts: d[1].ts + 20_000 }]);
    await store.insert([{ ...d[0], ts: d[0].ts - 3_000_000, captureId: '202' }]);
    await store.close();
    const counts = statsCounts(path);
    expect(counts).toEqual(statsRecount(path));
    const everyCall = { minutes: counts.minutes.filter(([ip]) => ip === '').map(([, minute, , , , calls]) => [minute * 60_000_000 - hour, calls]),
      hours: counts.pdd.filter(([ip]) => ip === '').map(([, h, , calls]) => [h * 3_600_000_000 - hour, calls]) };
    expect(everyCall).toEqual({ minutes: [[-60_000_000, 1], [7_200_000_000 - 60_000_000, 1]], hours: [[-3_600_000_000, 1], [3_600_000_000, 1]] });
  });

  it('count a call whose Call-ID its group already held as a link target', async () => {
    // leg-b names leg-a (a correlation id) before any message of leg-a is stored.
    const link = { target: 'leg-a', rule: 'hep-correlation-id' as const, header: '0x0011', value: 'leg-a' };
    const b = makeCall('leg-b', 1_700_000_000_000_000, { hepCorrelationId: 'leg-a', links: [link] });
    const a = makeCall('leg-a', 1_700_000_000_500_000);
    const oneBatch = openSqliteStore(join(dir, 'target-one.db'));
    await oneBatch.insert([...b, ...a]);
    await oneBatch.close();
    const store = openSqliteStore(join(dir, 'target.db'));
    await store.insert(b);
    await store.insert(a.slice(0, 1));
    await store.insert(a.slice(1));
    await store.close();
    const got = rows(join(dir, 'target.db'));
    expect(got.groups).toMatchObject([{ first_call: 'leg-b', legs: 2, messages: 12 }]);
    expect(got).toEqual(rows(join(dir, 'target-one.db')));
  });
});

describe('WrittenRows', () => {
  const call = (call_id: string, method: string, more: Partial<CallSummary> = {}) =>
    ({ call_id, method, caller: 'alice', status: null, duration_ms: null, final_status: null, ...more }) as CallSummary;

  it("keeps a call's row and terms, not the rest of the writer's record of it", () => {
    const written = new WrittenRows(10);
    const row = call('a@h', 'INVITE');
    // The writer stages its whole record of a call, KPI state and group included.
    const record = { row, terms: ['u alice'], kpi: { problems: new Map() }, group: 7 } as WrittenCall;
    written.stageCall(record);
    expect(written.call('a@h')).toBeUndefined(); // not before the batch commits
    written.committed();
    expect(written.call('a@h')).toEqual({ row, terms: ['u alice'] });
  });

  it('keeps the calls still going, not those whose next message would be a stray', () => {
    const written = new WrittenRows(10);
    const calls = [
      call('ringing', 'INVITE', { status: null }),
      call('talking', 'INVITE', { status: 200, final_status: 200 }),
      call('hung-up', 'INVITE', { status: 200, final_status: 200, duration_ms: 61_000 }),
      call('refused', 'INVITE', { status: 486, final_status: 486 }),
      call('ping-sent', 'OPTIONS'),
      call('ping-answered', 'OPTIONS', { status: 200 }),
      call('registered', 'REGISTER', { status: 200 }),
      call('subscribed', 'SUBSCRIBE', { status: 202 }),
    ];
    for (const [i, row] of calls.entries()) {
      written.stageCall({ row, terms: [] });
      written.stageGroup(i, { legs: [row.call_id], values: [] });
    }
    written.stageGroup(99, { legs: ['hung-up', 'talking'], values: [] });
    written.committed();
    const kept = calls.filter((c) => written.call(c.call_id)).map((c) => c.call_id);
    expect(kept).toEqual(['ringing', 'talking', 'ping-sent', 'subscribed']);
    expect(calls.map((_, i) => i).filter((i) => written.group(i))).toEqual([0, 1, 4, 7]);
    expect(written.group(99)).toBeDefined(); // one of its legs goes on
  });
});
