/**
 * Imports one capture: chunks in (from a file or an HTTP upload), SIP and HEP messages out to
 * the collector's ingest, with the file as their capture point. Shared by `hepflow import` and
 * POST /api/v1/import. No file or socket here: the caller supplies the chunks.
 */
import { PacketExtractor, type WireMeta } from './extract.ts';
import { CaptureReader, type CaptureFormat, type ReadStop } from './reader.ts';
import type { SkipCounts } from './skip.ts';
import type { DecodeOptions, HepRecord } from '../hep/types.ts';
import type { CapturedSip, FrameMeta } from '../collector/ingest.ts';
import type { Store } from '../store/types.ts';

/**
 * The part of server/collector/ingest.ts (`Ingest`) the importer calls. `hepRecord` and `sip`
 * answer the Call-ID (or correlation id) the message is filed under, null when it was skipped.
 */
export interface IngestPort {
  /** The auth key and decompression bound a capture's HEP packets are decoded with, here, once. */
  readonly hepDecodeOptions?: DecodeOptions;
  /** One HEP packet found in the capture, already decoded (`record`); `packet` is its bytes. */
  hepRecord(packet: Buffer, record: HepRecord, meta: FrameMeta): string | null;
  sip(frame: CapturedSip): string | null;
  /** Resolves once everything handed in so far is stored. */
  flush(): Promise<void>;
  /** Resolves once at most `max` messages are not yet stored: back-pressure that keeps writes pipelined. */
  settle(max: number): Promise<void>;
}

export interface ImportProgress {
  bytes: number;
  packets: number;
  sipMessages: number;
  hepPackets: number;
}

/** What one capture held; JSON-ready. */
export interface CaptureImport extends ImportProgress {
  captureId: string;
  format: CaptureFormat;
  /** Distinct Call-IDs seen (SIP Call-ID; for non-SIP HEP, its correlation id). */
  calls: number;
  /** True when there were more Call-IDs than CALL_ID_TRACK_MAX, so `calls` is a lower bound. */
  callsAtLeast: boolean;
  /** The first CALL_ID_LIST_MAX Call-IDs, in order of first appearance. */
  callIds: string[];
  /** Earliest and latest message time, µs since the epoch; null when no message was found. */
  timeRange: { from: number; to: number } | null;
  skipped: SkipCounts;
  /** Where a truncated or corrupt file stopped; null when it was read whole. */
  stoppedAt: ReadStop | null;
}

export interface ImportOptions {
  ingest: IngestPort;
  /** "file:<basename>". */
  captureId: string;
  onProgress?: (p: ImportProgress) => void;
  /** Most messages left waiting for the store while reading on: this bounds what waits in memory. */
  flushEvery?: number;
}

/**
 * A copy of `s` that does not keep alive the message it was cut from: V8 represents a slice of
 * 13 characters or more as a view of its parent, so every Call-ID kept would pin a whole SIP
 * message (~90 MB over a 400 MB capture).
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Call-IDs listed in the answer, for the web app to open the search on them. */
export const CALL_ID_LIST_MAX = 1000;
/** Distinct Call-IDs counted exactly; the set stops growing here so memory stays bounded. */
export const CALL_ID_TRACK_MAX = 200_000;
/**
 * Default backlog, messages not yet stored: enough that the store always has the next batches
 * while the capture is read on, and bounded whatever the file's size. Counting only what had not
 * been handed to the store let the SQLite writer's queue (64 batches) fill whenever it fell behind:
 * peak memory 687, 910 and 1,295 MiB importing 69, 249 and 450 MB captures (bench/pcap).
 */
const FLUSH_EVERY = 6000;

/**
 * Reads the capture from `source` and ingests what it holds. Throws NotCaptureError from the
 * first chunk when the bytes are no capture, before anything is handed to ingest.
 */
export async function importCapture(source: AsyncIterable<Buffer | Uint8Array | string>, opts: ImportOptions): Promise<CaptureImport> {
  const { ingest, captureId } = opts;
  const flushEvery = opts.flushEvery ?? FLUSH_EVERY;
  const callIds = new Set<string>();
  let callsAtLeast = false;
  let from = Infinity;
  let to = -Infinity;
  let sipMessages = 0;
  let hepPackets = 0;
  let sinceFlush = 0;

  const seen = (callId: string | null, ts: number) => {
    if (ts < from) from = ts;
    if (ts > to) to = ts;
    sinceFlush++;
    if (callId === null || callIds.has(callId)) return;
    if (callIds.size < CALL_ID_TRACK_MAX) callIds.add(detached(callId));
    else callsAtLeast = true;
  };

  const extractor = new PacketExtractor({
    sip(payload: Buffer, m: WireMeta) {
      sipMessages++;
      seen(ingest.sip({ ts: m.ts, srcIp: m.srcIp, srcPort: m.srcPort, dstIp: m.dstIp, dstPort: m.dstPort, transport: m.transport, payload, captureId }), m.ts);
    },
    hep(packet: Buffer, record: HepRecord, m: WireMeta) {
      hepPackets++;
      // transport 'file': the record keeps its own capture point; peer names the file.
      seen(ingest.hepRecord(packet, record, { transport: 'file', peer: captureId, receivedAt: m.ts }), record.tsSec * 1_000_000 + record.tsUsec || m.ts);
    },
  }, undefined, ingest.hepDecodeOptions);
  const reader = new CaptureReader((p) => extractor.packet(p));
  const progress = (): ImportProgress => ({ bytes: reader.bytesIn, packets: reader.packets, sipMessages, hepPackets });

  for await (const chunk of source) {
    reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (sinceFlush >= flushEvery) {
      sinceFlush = 0;
      await ingest.settle(flushEvery); // back-pressure: the source is not read while the store catches up
    }
    opts.onProgress?.(progress());
    if (reader.stop) break;
  }
  const stoppedAt = reader.end();
  extractor.finish();
  await ingest.flush();
  opts.onProgress?.(progress());

  return {
    captureId,
    format: reader.format!,
    ...progress(),
    calls: callIds.size,
    callsAtLeast,
    callIds: [...take(callIds, CALL_ID_LIST_MAX)],
    timeRange: sipMessages + hepPackets > 0 ? { from, to } : null,
    skipped: extractor.skipped,
    stoppedAt,
  };
}

function* take<T>(items: Iterable<T>, n: number): Iterable<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

/** Distinct correlation groups the given Call-IDs belong to, as stored now. */
export async function countGroups(store: Pick<Store, 'getGroupSlice'>, callIds: Iterable<string>): Promise<number> {
  const groups = new Set<string>();
  for (const id of callIds) {
    const g = await store.getGroupSlice(id, 0); // the group's id, none of its messages
    if (g) groups.add(g.groupId);
  }
  return groups.size;
}
