/** `hepflow import` core with real parts: the collector's Ingest and a temporary SQLite store. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaults } from '../config.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/types.ts';
import { runImport } from './import.ts';
import { runExport } from './export.ts';
import { noSharedFixtures, sharedFixture } from '../testing/shared-fixtures.ts';


let dir: string;
let store: Store;
let ingest: Ingest;
let out: PassThrough & { text: () => string };

function capture(): PassThrough & { text: () => string } {
  const s = new PassThrough() as PassThrough & { text: () => string };
  let text = '';
  s.on('data', (d) => (text += d));
  s.text = () => text;
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hepflow-import-'));
  store = openSqliteStore(join(dir, 'store.db'));
  ingest = new Ingest({ store, config: { ...defaults, batchDelayMs: 5 }, metrics: new Metrics() });
  out = capture();
});
afterEach(async () => {
  await ingest.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(noSharedFixtures)('hepflow import', () => {
  it('stores the SIP messages of sngrep-aaa.pcap and prints packets, messages, calls, groups and skip reasons', async () => {
    const summary = await runImport([sharedFixture('sngrep-aaa.pcap')], { ingest, store, out });
    expect(summary).toMatchObject({ packets: 691, sipMessages: 81, hepPackets: 0, calls: 6 });
    expect(summary.groups).toBeGreaterThanOrEqual(1);
    expect(summary.groups).toBeLessThanOrEqual(6);
    expect((await store.counts()).messages).toBe(81);
    const text = out.text();
    expect(text).toContain('691 packets read, 81 SIP messages, 0 HEP packets, 6 calls');
    expect(text).toMatch(/skipped: not-sip 509/);
    expect(text).toMatch(/sngrep-aaa\.pcap 100%/); // plain progress lines when not a TTY
    const group = await store.getGroup(summary.files[0].callIds[0]);
    expect(group!.messages[0].captureId).toBe('file:sngrep-aaa.pcap');
  });

  it('stores HEP packets found in a capture under their own capture point', async () => {
    const summary = await runImport([sharedFixture('hep-wireshark-hep.pcap')], { ingest, store, out });
    expect(summary).toMatchObject({ hepPackets: 8, calls: 1, groups: 1 });
    expect((await store.counts()).messages).toBe(8);
  });

  it('refuses a file that is not a capture, naming it, and leaves the store as it was', async () => {
    await runImport([sharedFixture('hep-wireshark-hep.pcap')], { ingest, store, out });
    const before = await store.counts();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'INVITE sip:bob@example.com SIP/2.0\r\n\r\n');
    await expect(runImport([sharedFixture('sngrep-aaa.pcap'), notes], { ingest, store, out })).rejects.toThrow(
      /notes\.txt: not a pcap or pcapng file: first bytes 49 4e 56 49 54 45 20 73 \("INVITE s"\)/,
    );
    expect(await store.counts()).toEqual(before);
  });

  it('exports an imported call as text and as a pcap', async () => {
    const summary = await runImport([sharedFixture('hep-wireshark-hep.pcap')], { ingest, store, out });
    const text = capture();
    expect(await runExport(summary.files[0].callIds[0], { store, format: 'text', out: text })).toBe(8);
    expect(text.text()).toMatch(/^2016-12-11 \d\d:\d\d:\d\d\.\d{6} UTC {2}\S+ -> \S+ {2}UDP\n/);
    const pcap = join(dir, 'out.pcap');
    expect(await runExport(summary.files[0].callIds[0], { store, format: 'pcap', outFile: pcap, out })).toBe(8);
    await expect(runExport('no-such-call', { store, format: 'pcap', out })).rejects.toThrow(/no call or correlation id "no-such-call"/);
  });
});
