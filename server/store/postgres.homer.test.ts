/**
 * The PostgreSQL store against Homer 7's own layout: reading rows exactly as heplify-server
 * writes them (its tables, columns and JSON keys), writing rows heplify-server would have written, and retention.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openPostgresStore } from './postgres.ts';
import { makeMessage } from '../testing/store-suite.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../testing/postgres.ts';
import type { Store } from './types.ts';

const T = 1_700_000_000; // s: 2023-11-14 22:13:20 UTC, inside heplify's 22:00 partition (2h step)

function sip(first: string, callId: string, cseq: string, extra: string[] = []): string {
  return [first, 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-' + callId + cseq.replace(' ', ''),
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, `CSeq: ${cseq}`,
    ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

/**
 * One row as heplify-server's COPY writes it: protocol_header from makeProtoHeader, data_header
 * from makeSIPDataHeader (method = status code for responses), correlation_id = CID.
 */
function heplifyRow(o: { sec: number; callId: string; cid?: string; method: string; cseq: string; raw: string; from?: string; to?: string }) {
  const protocolHeader = { protocolFamily: 2, protocol: 17, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    timeSeconds: o.sec, timeUseconds: 250000, payloadType: 1, captureId: '2001', correlation_id: o.cid ?? o.callId };
  const dataHeader = { ruri_user: o.to ?? 'bob', ruri_domain: 'example.com', from_user: o.from ?? 'alice', from_tag: 'a1',
    to_user: o.to ?? 'bob', to_tag: '', callid: o.callId, cseq: o.cseq, method: o.method, user_agent: 'sipp' };
  return [o.callId, new Date(o.sec * 1000 + 250).toISOString(), JSON.stringify(protocolHeader), JSON.stringify(dataHeader), o.raw];
}

/** heplify-server's tables (rotator/pgfiles.go tbldatapg, parsippg) for one 2 h partition. */
async function createHeplifyTables(db: TestDatabase): Promise<void> {
  for (const t of ['hep_proto_1_call', 'hep_proto_1_registration', 'hep_proto_1_default', 'hep_proto_100_default', 'hep_proto_5_default', 'hep_proto_35_default']) {
    await db.query(`CREATE TABLE ${t} (id BIGSERIAL NOT NULL, sid varchar NOT NULL,
      create_date timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL, protocol_header jsonb NOT NULL,
      data_header jsonb NOT NULL, raw varchar NOT NULL) PARTITION BY RANGE (create_date)`);
    await db.query(`CREATE TABLE ${t}_20231114_2200 PARTITION OF ${t} FOR VALUES FROM ('2023-11-14 22:00:00+00') TO ('2023-11-15 00:00:00+00')`);
    await db.query(`CREATE INDEX ${t}_20231114_2200_sid ON ${t}_20231114_2200 (sid)`);
  }
}

describe.skipIf(noPostgres)('PostgreSQL store on a Homer 7 database', () => {
  describe('reading rows heplify-server wrote', () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await createTestDatabase();
      await createHeplifyTables(db);
      // Attended transfer, drawn:
      //   xfer-a   alice → bob      INVITE 200 ACK ........ REFER (Refer-To: carol?Replaces=xfer-b) 202
      //   xfer-a-2 B2BUA leg of xfer-a: nothing in its SIP names xfer-a, only correlation_id (X-CID via AlegIDs)
      //   xfer-b   alice → carol    INVITE 200 ACK (consultation)
      //   xfer-c   bob → carol      INVITE (Replaces: xfer-b) 200
      //   other    an unrelated call
      const rows = [
        heplifyRow({ sec: T, callId: 'xfer-a', method: 'INVITE', cseq: '1 INVITE', raw: sip('INVITE sip:bob@example.com SIP/2.0', 'xfer-a', '1 INVITE') }),
        heplifyRow({ sec: T + 1, callId: 'xfer-a', method: '200', cseq: '1 INVITE', raw: sip('SIP/2.0 200 OK', 'xfer-a', '1 INVITE') }),
        heplifyRow({ sec: T + 1, callId: 'xfer-a-2', cid: 'xfer-a', method: 'INVITE', cseq: '1 INVITE', raw: sip('INVITE sip:bob@10.0.0.9 SIP/2.0', 'xfer-a-2', '1 INVITE') }),
        heplifyRow({ sec: T + 10, callId: 'xfer-b', method: 'INVITE', cseq: '1 INVITE', to: 'carol', raw: sip('INVITE sip:carol@example.com SIP/2.0', 'xfer-b', '1 INVITE') }),
        heplifyRow({ sec: T + 11, callId: 'xfer-b', method: '200', cseq: '1 INVITE', to: 'carol', raw: sip('SIP/2.0 200 OK', 'xfer-b', '1 INVITE') }),
        heplifyRow({ sec: T + 20, callId: 'xfer-a', method: 'REFER', cseq: '2 REFER', raw: sip('REFER sip:bob@example.com SIP/2.0', 'xfer-a', '2 REFER',
          ['Refer-To: <sip:carol@example.com?Replaces=xfer-b%3Bto-tag%3Dc1%3Bfrom-tag%3Da1>']) }),
        heplifyRow({ sec: T + 20, callId: 'xfer-a', method: '202', cseq: '2 REFER', raw: sip('SIP/2.0 202 Accepted', 'xfer-a', '2 REFER') }),
        heplifyRow({ sec: T + 21, callId: 'xfer-c', method: 'INVITE', cseq: '1 INVITE', from: 'bob', to: 'carol',
          raw: sip('INVITE sip:carol@example.com SIP/2.0', 'xfer-c', '1 INVITE', ['Replaces: xfer-b;to-tag=c1;from-tag=a1']) }),
        heplifyRow({ sec: T + 22, callId: 'xfer-c', method: '200', cseq: '1 INVITE', from: 'bob', to: 'carol', raw: sip('SIP/2.0 200 OK', 'xfer-c', '1 INVITE') }),
        heplifyRow({ sec: T + 100, callId: 'other', method: 'INVITE', cseq: '1 INVITE', from: 'zed', raw: sip('INVITE sip:bob@example.com SIP/2.0', 'other', '1 INVITE') }),
      ];
      for (const r of rows) {
        await db.query('INSERT INTO hep_proto_1_call (sid, create_date, protocol_header, data_header, raw) VALUES ($1, $2, $3, $4, $5)', r);
      }
      store = await openPostgresStore(pgConfig(db.url, { pgPartitionStep: '2h' }));
    });
    afterAll(async () => { await store?.close(); await db?.drop(); });

    it('joins the legs of an attended transfer found only through Refer-To, Replaces and correlation_id', async () => {
      for (const id of ['xfer-a', 'xfer-b', 'xfer-c', 'xfer-a-2']) {
        const g = await store.getGroup(id);
        expect(g?.groupId).toBe('xfer-a');
        expect([...g!.callIds].sort()).toEqual(['xfer-a', 'xfer-a-2', 'xfer-b', 'xfer-c']);
        expect(g?.messages).toHaveLength(9);
      }
      const g = await store.getGroup('xfer-b');
      expect(g!.links.map((l) => [l.callId, l.target, l.rule])).toEqual([
        ['xfer-a-2', 'xfer-a', 'hep-correlation-id'], ['xfer-a', 'xfer-b', 'refer-replaces'], ['xfer-c', 'xfer-b', 'replaces']]);
    });

    it('rebuilds each message from heplify\'s JSON: addresses, time, method or status, CSeq, users', async () => {
      const g = await store.getGroup('xfer-c');
      const m = g!.messages.find((x) => x.callId === 'xfer-c' && x.status === 200)!;
      expect(m).toMatchObject({ ts: (T + 22) * 1e6 + 250_000, srcIp: '10.0.0.1', dstPort: 5060, transport: 'udp', captureId: '2001',
        method: null, status: 200, reason: 'OK', cseqNum: 1, cseqMethod: 'INVITE', fromUser: 'bob', toUser: 'carol',
        hepCorrelationId: null, protoType: 1, problems: null });
      expect(await store.getMessage(m.id)).toEqual(m);
    });

    it('lists the scenario as one search result beside the unrelated call, and filters them', async () => {
      const page = await store.searchGroups({ limit: 10 });
      expect(page.items.map((i) => i.groupId)).toEqual(['other', 'xfer-a']);
      expect(page.items[1]).toMatchObject({ caller: 'alice', callee: 'bob', status: 200, method: 'INVITE', messages: 9 });
      expect((await store.searchGroups({ limit: 10, user: 'zed' })).items.map((i) => i.groupId)).toEqual(['other']);
      expect((await store.searchGroups({ limit: 10, method: 'REFER' })).items.map((i) => i.groupId)).toEqual(['xfer-a']);
      expect((await store.searchGroups({ limit: 10, from: (T + 50) * 1e6 })).items.map((i) => i.groupId)).toEqual(['other']);
    });

    it('folds the KPIs of query-time groups as hepflow folds its own at insert, and filters on them', async () => {
      const page = await store.searchGroups({ limit: 10 });
      const kpi = (g: (typeof page.items)[number]) => [g.groupId, g.disposition, g.pddMs, g.setupMs, g.durationMs, g.finalStatus, g.problems];
      // 'other' is an INVITE answered by nothing, long ago: Timer B has run out on it.
      expect(page.items.map(kpi)).toEqual([['other', 'failed', null, null, null, null, ['no-final-response']], ['xfer-a', 'answered', 1000, 1000, null, 200, []]]);
      const ids = async (q: object) => (await store.searchGroups({ limit: 10, ...q })).items.map((i) => i.groupId);
      expect(await ids({ disposition: 'answered' })).toEqual(['xfer-a']);
      expect(await ids({ disposition: 'failed' })).toEqual(['other']);
      expect(await ids({ disposition: 'in-progress' })).toEqual([]);
      expect(await ids({ problems: ['no-final-response'] })).toEqual(['other']);
      expect(await ids({ minPddMs: 1000 })).toEqual(['xfer-a']);
      expect(await ids({ minPddMs: 1001 })).toEqual([]);
      expect(await ids({ problems: ['server-error-5xx'] })).toEqual([]);
    });

    it('names the scenario of query-time groups as of hepflow\'s own, in the search and in a slice of the group', async () => {
      const page = await store.searchGroups({ limit: 10 });
      expect(page.items.map((g) => [g.groupId, g.scenario])).toEqual([['other', 'basic'], ['xfer-a', 'attended-transfer']]);
      // Its first two messages are the first leg's alone: the kind is still the whole group's.
      expect((await store.getGroupSlice('xfer-b', 2))?.scenario).toBe('attended-transfer');
    });

    it('pages through query-time groups with the cursor', async () => {
      const first = await store.searchGroups({ limit: 1 });
      expect(first.items.map((i) => i.groupId)).toEqual(['other']);
      const second = await store.searchGroups({ limit: 1, cursor: first.next! });
      expect(second.items.map((i) => i.groupId)).toEqual(['xfer-a']);
      expect(second.next).toBeNull();
    });
  });

  describe('writing', () => {
    let db: TestDatabase;
    let store: Store;
    beforeAll(async () => {
      db = await createTestDatabase();
      store = await openPostgresStore(pgConfig(db.url, { pgPartitionStep: '1h' }));
    });
    afterAll(async () => { await store?.close(); await db?.drop(); });

    it('puts each message in heplify\'s table with its JSON keys, key types and partition names', async () => {
      const ts = T * 1e6 + 123_456;
      const invite = 'INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: w1\r\nCSeq: 1 INVITE\r\n\r\n';
      await store.insert([
        makeMessage({ callId: 'w1', ts, raw: invite, hepCorrelationId: 'corr-1', links: [{ target: 'corr-1', rule: 'hep-correlation-id', header: '0x0011', value: 'corr-1' }] }),
        makeMessage({ callId: 'w1', ts: ts + 1, method: null, status: 180, reason: 'Ringing', toTag: 'tt', raw: 'SIP/2.0 180 Ringing\r\n\r\n' }),
        makeMessage({ callId: 'w2', ts, method: 'REGISTER', cseqMethod: 'REGISTER', raw: 'REGISTER sip:example.com SIP/2.0\r\n\r\n' }),
        makeMessage({ callId: 'w3', ts, method: 'OPTIONS', cseqMethod: 'OPTIONS', raw: 'OPTIONS sip:x@10.0.0.2 SIP/2.0\r\n\r\n' }),
        makeMessage({ callId: 'w1', ts: ts + 2, protoType: 100, method: null, cseqNum: null, cseqMethod: null, raw: 'log line' }),
        makeMessage({ callId: 'w4', ts: ts + 3_600_000_000, method: 'NOTIFY', cseqMethod: 'NOTIFY', raw: 'NOTIFY sip:a@b SIP/2.0\r\n\r\n' }),
      ]);
      const call = await db.query('SELECT sid, create_date, protocol_header::text AS ph, data_header::text AS dh, protocol_header, data_header FROM hep_proto_1_call ORDER BY create_date');
      expect(call.rows.map((r) => [r.sid, r.data_header.method])).toEqual([['w1', 'INVITE'], ['w1', '180'], ['w4', 'NOTIFY']]);
      expect(call.rows[0].create_date.toISOString()).toBe('2023-11-14T22:13:20.123Z');
      expect(call.rows[0].protocol_header).toEqual({ protocolFamily: 2, protocol: 17, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060,
        dstPort: 5060, timeSeconds: T, timeUseconds: 123_456, payloadType: 1, captureId: '2001', correlation_id: 'corr-1' });
      expect(call.rows[0].data_header).toEqual({ ruri_user: 'bob', ruri_domain: 'example.com', from_user: 'alice', from_tag: 'ft1',
        to_user: 'bob', to_tag: '', callid: 'w1', cseq: '1 INVITE', method: 'INVITE', user_agent: 'test' });
      expect(call.rows[1].protocol_header.correlation_id).toBe('w1'); // no 0x0011: CID = Call-ID
      expect(Object.values(call.rows[1].data_header).every((v) => typeof v === 'string')).toBe(true);
      const sids = async (t: string) => (await db.query(`SELECT sid, data_header FROM ${t}`)).rows;
      expect((await sids('hep_proto_1_registration')).map((r) => r.sid)).toEqual(['w2']);
      expect((await sids('hep_proto_1_default')).map((r) => r.sid)).toEqual(['w3']);
      expect(await sids('hep_proto_100_default')).toEqual([{ sid: 'w1', data_header: { node: '2001', proto: 'log' } }]);
      const parts = await db.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'hep_proto_1_call_2023%' ORDER BY 1`);
      expect(parts.rows.map((r) => r.tablename)).toEqual(['hep_proto_1_call_20231114_2200', 'hep_proto_1_call_20231114_2300']);
      const idx = await db.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'hep_proto_1_call_20231114_2200' ORDER BY 1`);
      expect(idx.rows.map((r) => r.indexname.replace('hep_proto_1_call_20231114_2200_', ''))).toEqual(
        ['auth_user', 'callid', 'correlation_id', 'create_date', 'dstip', 'from_user', 'method', 'pid_user', 'ruri_domain', 'ruri_user', 'sid', 'srcip', 'to_user']);
      const hepflow = await db.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'hepflow_%' ORDER BY 1`);
      expect(hepflow.rows.map((r) => r.tablename)).toEqual(['hepflow_batches', 'hepflow_calls', 'hepflow_extras', 'hepflow_groups', 'hepflow_ids', 'hepflow_links']);
      const g = await store.getGroup('corr-1');
      expect(g?.messages.map((m) => [m.protoType, m.method ?? m.status, m.hepCorrelationId])).toEqual([[1, 'INVITE', 'corr-1'], [1, 180, null], [100, null, null]]);
    });

    it('drops the partitions past the retention and keeps the newer ones', async () => {
      const cut = (T + 3600) * 1e6 - 13 * 60e6 - 20e6; // 23:00, the end of the first partition
      const removed = await store.purge({ calls: cut, other: cut });
      expect(removed).toBe(5);
      const parts = await db.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'hep_proto_%_2023%' ORDER BY 1`);
      expect(parts.rows.map((r) => r.tablename)).toEqual(['hep_proto_1_call_20231114_2300']);
      expect(await store.getGroup('w1')).toBeNull();
      expect((await store.getGroup('w4'))?.messages).toHaveLength(1);
    });
  });
});
