/**
 * Query-time correlation of rows heplify-server wrote, by the values legs share: Session-ID
 * UUIDs (swapped between the legs), the icid-value, and config rules on a header or the Call-ID. Real
 * PostgreSQL in Homer 7's layout; heplify put each row's own Call-ID in correlation_id, so
 * nothing but these values ties the legs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openPostgresStore } from '../postgres.ts';
import { createTestDatabase, noPostgres, pgConfig, type TestDatabase } from '../../testing/postgres.ts';
import type { Store } from '../types.ts';

const T = 1_700_000_000; // s: inside the 2023-11-14 22:00 partition below
const A = 'ab30317f1a784dc48ff824d0d3715d86';
const B = '47755a9de7794ba387653f2099600ef2';

function invite(callId: string, extra: string[]): string {
  return ['INVITE sip:bob@example.com SIP/2.0', `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${callId}`,
    'From: <sip:alice@example.com>;tag=a1', 'To: <sip:bob@example.com>', `Call-ID: ${callId}`, 'CSeq: 1 INVITE',
    ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

/** A heplify-server row (protocol_header / data_header as its COPY writes them). */
function row(sec: number, callId: string, extra: string[]): unknown[] {
  const ph = { protocolFamily: 2, protocol: 17, srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    timeSeconds: sec, timeUseconds: 0, payloadType: 1, captureId: '2001', correlation_id: callId };
  const dh = { ruri_user: 'bob', ruri_domain: 'example.com', from_user: 'alice', from_tag: 'a1', to_user: 'bob', to_tag: '',
    callid: callId, cseq: '1 INVITE', method: 'INVITE', user_agent: 'sipp' };
  return [callId, new Date(sec * 1000).toISOString(), JSON.stringify(ph), JSON.stringify(dh), invite(callId, extra)];
}

describe.skipIf(noPostgres)('Homer 7 rows correlated at query time by shared values', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const t of ['hep_proto_1_call', 'hep_proto_1_registration', 'hep_proto_1_default', 'hep_proto_100_default', 'hep_proto_5_default', 'hep_proto_35_default']) {
      await db.query(`CREATE TABLE ${t} (id BIGSERIAL NOT NULL, sid varchar NOT NULL,
        create_date timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL, protocol_header jsonb NOT NULL,
        data_header jsonb NOT NULL, raw varchar NOT NULL) PARTITION BY RANGE (create_date)`);
      await db.query(`CREATE TABLE ${t}_20231114_2200 PARTITION OF ${t} FOR VALUES FROM ('2023-11-14 22:00:00+00') TO ('2023-11-15 00:00:00+00')`);
    }
    const rows = [
      row(T, 'sid-a', [`Session-ID: ${A};remote=${B}`]),
      row(T + 1, 'sid-b', [`Session-ID: ${B};remote=${A}`]),
      row(T + 10, 'ims-a', ['P-Charging-Vector: icid-value="Ay=77";orig-ioi=home1.net']),
      row(T + 11, 'ims-b', ['P-Charging-Vector: icid-value=Ay=77;term-ioi=x']),
      row(T + 20, 'core9-leg1', []),
      row(T + 21, 'core9-leg2', []),
      row(T + 22, 'core9-legX', []), // the rule's regex does not match it
      row(T + 30, 'hdap-a', ['X-HDAP-TraceId: trace-77']),
      row(T + 31, 'hdap-b', ['x-hdap-traceid: trace-77']), // the header's name in other capitals
      row(T + 32, 'hdap-c', ['X-HDAP-TraceId: trace-78']),
    ];
    for (const r of rows) await db.query('INSERT INTO hep_proto_1_call (sid, create_date, protocol_header, data_header, raw) VALUES ($1, $2, $3, $4, $5)', r);
    store = await openPostgresStore(pgConfig(db.url, { pgPartitionStep: '2h', correlationRules: [
      { name: 'core-id', callId: true, regex: '^(\\w+)-leg\\d$' }, { name: 'hdap', header: 'X-HDAP-TraceID' }] }));
  });
  afterAll(async () => { await store?.close(); await db?.drop(); });

  it('joins Session-ID legs whose UUIDs are swapped, from either leg', async () => {
    for (const id of ['sid-a', 'sid-b']) {
      const g = await store.getGroup(id);
      expect([...g!.callIds].sort()).toEqual(['sid-a', 'sid-b']);
      expect(new Set(g!.links.map((l) => l.rule))).toEqual(new Set(['session-id']));
    }
  });

  it('joins IMS legs by the icid-value, quoted on one and bare on the other', async () => {
    const g = await store.getGroup('ims-b');
    expect([...g!.callIds].sort()).toEqual(['ims-a', 'ims-b']);
    expect(g!.correlationIds).toEqual(['Ay=77']);
  });

  it('joins legs by the config rule on the Call-ID, under the rule\'s name, and leaves out what the regex does not match', async () => {
    const g = await store.getGroup('core9-leg2');
    expect([...g!.callIds].sort()).toEqual(['core9-leg1', 'core9-leg2']);
    expect(g!.links.map((l) => [l.callId, l.rule, l.header, l.target])).toEqual([
      ['core9-leg1', 'user', 'core-id', 'core9'], ['core9-leg2', 'user', 'core-id', 'core9']]);
    expect((await store.getGroup('core9-legX'))!.callIds).toEqual(['core9-legX']);
  });

  it('joins legs by the config rule on a header, whatever the header name\'s capitals, and not a leg with another value', async () => {
    const g = await store.getGroup('hdap-a');
    expect([...g!.callIds].sort()).toEqual(['hdap-a', 'hdap-b']);
    expect(new Set(g!.links.map((l) => `${l.rule} ${l.header} ${l.target}`))).toEqual(new Set(['user hdap trace-77']));
    expect((await store.getGroup('hdap-c'))!.callIds).toEqual(['hdap-c']);
  });
});
