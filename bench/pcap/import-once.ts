/**
 * One import, in its own process so its peak memory is its own. Prints one JSON line.
 *   node --import tsx bench/pcap/import-once.ts FILE store STORE.db   → `hepflow import` core into SQLite
 *   node --import tsx bench/pcap/import-once.ts FILE parse            → reader + extractor + SIP parser only
 *   node --import tsx bench/pcap/import-once.ts FILE read             → reader + extractor only (the capture layer)
 */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { defaults } from '../../server/config.ts';
import { Ingest } from '../../server/collector/ingest.ts';
import { Metrics } from '../../server/collector/metrics.ts';
import { openStore } from '../../server/store/open.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { runImport } from '../../server/cli/import.ts';
import { importCapture } from '../../server/pcap/import.ts';
import { parseSip } from '../../server/sip/parse.ts';
import { tuneV8 } from '../../server/v8-tuning.ts';

tuneV8(); // as bin/hepflow.js does

const [file, mode, storePath] = process.argv.slice(2);
const start = process.hrtime.bigint();
let messages = 0;
let bytes = 0;
let end = 0n;
if (mode === 'store') {
  // The store `hepflow import` opens: SQLite with its writer thread.
  const config = { ...defaults, store: storePath };
  const store = await openStore(config);
  const ingest = new Ingest({ store, config, metrics: new Metrics() });
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const s = await runImport([file], { ingest, store, out: quiet });
  await ingest.close();
  await store.close();
  end = process.hrtime.bigint(); // the count below is this benchmark's check, not part of an import
  const check = openSqliteStore(storePath);
  messages = (await check.counts()).messages;
  await check.close();
  bytes = s.files[0].bytes;
} else {
  // As the ingest parses: whether there is SDP, not the SDP itself.
  const opts = { correlationHeaders: defaults.correlationHeaders, sdp: false };
  const r = await importCapture(createReadStream(file, { highWaterMark: 1 << 20 }), {
    captureId: 'file:bench',
    ingest: {
      sip: (f) => (mode === 'parse' ? parseSip(f.payload.toString('utf8'), opts).callId : null),
      hepRecord: () => null,
      flush: async () => {},
      settle: async () => {},
    },
  });
  messages = r.sipMessages + r.hepPackets;
  bytes = r.bytes;
}
const ms = Number((end || process.hrtime.bigint()) - start) / 1e6;
process.stdout.write(JSON.stringify({ mode, ms, bytes, messages, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
