/**
 * The whole story on PostgreSQL in Homer 7's layout: logs in hep_proto_100_default, RTCP (as
 * heplify's JSON) in hep_proto_5_default, REST and transport traces in hep_proto_35_default,
 * each under the call heplify-server would file it with, and the group API reads them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGroup } from '../api/types.ts';
import { encodeHep3 } from '../hep/encode.ts';
import { sendPackets } from '../replay/sender.ts';
import { wholeStory } from '../scenarios/story.ts';
import { startTestServer, waitFor, type TestServer } from '../testing/harness.ts';
import { createTestDatabase, noPostgres, type TestDatabase } from '../testing/postgres.ts';

describe.skipIf(noPostgres)('the whole story on PostgreSQL (Homer 7 tables)', () => {
  let db: TestDatabase;
  let s: TestServer;
  const run = wholeStory.build(Date.UTC(2025, 2, 14, 9, 30) * 1000);
  const [callA, callB] = run.expected.groups[0].callIds;

  beforeAll(async () => {
    db = await createTestDatabase();
    s = await startTestServer({ store: db.url, pgPool: 4 });
    await sendPackets({ transport: 'udp', host: '127.0.0.1', port: s.hepUdp!.port }, run.packets.map(encodeHep3), { rate: 0 });
    await waitFor(async () => (await s.store.counts()).messages >= run.expected.messageCount, 'scenario stored');
  });
  afterAll(async () => {
    await s?.stop();
    await db?.drop();
  });

  it('writes each kind to the table heplify-server uses, under its call', async () => {
    const rows = async (t: string) => (await db.query<{ sid: string; n: string }>(`SELECT sid, count(*) AS n FROM ${t} GROUP BY sid ORDER BY sid`)).rows
      .map((r) => [r.sid, Number(r.n)]);
    expect(await rows('hep_proto_100_default')).toEqual([[callA, 3]]);
    expect(await rows('hep_proto_5_default')).toEqual([[callA, 12], [callB, 12]].sort());
    // REST (88) and the TLS events (89): heplify-server's default branch.
    expect(await rows('hep_proto_35_default')).toEqual([[callA, 4]]);
    const rtcp = (await db.query<{ raw: string }>(`SELECT raw FROM hep_proto_5_default WHERE sid = $1 LIMIT 1`, [callB])).rows[0];
    expect(JSON.parse(rtcp.raw)).toMatchObject({ type: 201, report_count: 1, report_blocks: [{ fraction_lost: 20 }] });
  });

  it('answers the group with every kind and the media of both legs', async () => {
    const g = (await s.get<ApiGroup>(`/api/v1/groups/${encodeURIComponent(callA)}`)).body;
    const kinds = new Map<string, number>();
    for (const m of g.messages) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ transport: 2, sip: 13, log: 3, rest: 2, rtcp: 24 });
    expect(g.media.filter((m) => m.reports > 0).map((m) => [m.leg, m.direction, m.packetsLost])).toEqual([
      [0, 'caller-to-callee', 0], [0, 'callee-to-caller', 0], [1, 'caller-to-callee', 120], [1, 'callee-to-caller', 0],
    ]);
  });
});
