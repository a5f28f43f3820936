/** `hepflow import FILE...`: pcap / pcapng files into the store, with progress and a summary. */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { addConfigOptions, configFrom } from './context.ts';
import { openStore } from '../store/open.ts';
import { Ingest } from '../collector/ingest.ts';
import { Metrics } from '../collector/metrics.ts';
import { countGroups, importCapture, type CaptureImport, type IngestPort } from '../pcap/import.ts';
import { NotCaptureError, sniffFormat } from '../pcap/reader.ts';
import type { Store } from '../store/types.ts';

export interface ImportSummary {
  files: (CaptureImport & { file: string })[];
  packets: number;
  sipMessages: number;
  hepPackets: number;
  /** Distinct Call-IDs over all files (exact up to the per-file tracking bound). */
  calls: number;
  /** Correlation groups the listed Call-IDs belong to after the import. */
  groups: number;
  /** True when some file had more Call-IDs than listed: `calls` and `groups` are then lower bounds. */
  groupsAtLeast: boolean;
}

export interface ImportDeps {
  ingest: IngestPort;
  store: Store;
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** Read size per chunk: big enough for few syscalls, small against memory. */
const READ_CHUNK_BYTES = 1 << 20;
/** A TTY progress bar is redrawn at most this often, ms. */
const REDRAW_MS = 100;

/**
 * Refuses files that are missing or not captures, before anything is opened for writing.
 * Throws one error naming every bad file.
 */
export async function checkCaptureFiles(files: string[]): Promise<void> {
  const problems: string[] = [];
  for (const file of files) {
    try {
      const fh = await open(file, 'r');
      try {
        const head = Buffer.alloc(8);
        const { bytesRead } = await fh.read(head, 0, 8, 0);
        if (sniffFormat(head.subarray(0, bytesRead)) === null) problems.push(`${file}: ${new NotCaptureError(head.subarray(0, bytesRead)).message}`);
      } finally {
        await fh.close();
      }
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`nothing imported:\n  ${problems.join('\n  ')}`);
}

export async function runImport(files: string[], deps: ImportDeps): Promise<ImportSummary> {
  if (files.length === 0) throw new Error('no file to import');
  await checkCaptureFiles(files);
  const results: ImportSummary['files'] = [];
  for (const file of files) {
    const size = (await stat(file)).size;
    const progress = progressPrinter(deps.out, basename(file), size);
    const r = await importCapture(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), {
      ingest: deps.ingest,
      captureId: `file:${basename(file)}`,
      onProgress: progress.update,
    });
    progress.done();
    results.push({ file, ...r });
    deps.out.write(describeFile(file, r));
  }
  const callIds = new Set(results.flatMap((r) => r.callIds));
  const allListed = results.every((r) => !r.callsAtLeast && r.calls === r.callIds.length);
  const summary: ImportSummary = {
    files: results,
    packets: sum(results, 'packets'),
    sipMessages: sum(results, 'sipMessages'),
    hepPackets: sum(results, 'hepPackets'),
    // Exact when every file listed all its Call-IDs; otherwise the largest per-file count is a lower bound.
    calls: allListed ? callIds.size : Math.max(callIds.size, ...results.map((r) => r.calls)),
    groups: await countGroups(deps.store, callIds),
    groupsAtLeast: !allListed,
  };
  deps.out.write(
    `total: ${summary.packets} packets read, ${summary.sipMessages} SIP messages, ${summary.hepPackets} HEP packets, ` +
      `${summary.groupsAtLeast ? 'at least ' : ''}${summary.calls} calls, ${summary.groupsAtLeast ? 'at least ' : ''}${summary.groups} groups\n`,
  );
  return summary;
}

function describeFile(file: string, r: CaptureImport): string {
  const lines = [
    `${file} (${r.format}, ${mb(r.bytes)} MB): ${r.packets} packets read, ${r.sipMessages} SIP messages, ` +
      `${r.hepPackets} HEP packets, ${r.callsAtLeast ? 'at least ' : ''}${r.calls} calls`,
  ];
  const skipped = Object.entries(r.skipped).sort((a, b) => b[1] - a[1]);
  if (skipped.length) lines.push(`  skipped: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (r.stoppedAt) {
    lines.push(`  stopped early at byte ${r.stoppedAt.offset} (packet ${r.stoppedAt.packet}): ${r.stoppedAt.reason}; what came before it was imported`);
  }
  return lines.join('\n') + '\n';
}

/** A redrawn bar on a terminal; plain lines at each 10 % otherwise (logs, CI). */
function progressPrinter(out: ImportDeps['out'], name: string, size: number) {
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  const line = (bytes: number, msgs: number) => {
    const frac = size > 0 ? Math.min(1, bytes / size) : 1;
    return { frac, text: `${name} ${String(Math.floor(frac * 100)).padStart(3)}%  ${mb(bytes)}/${mb(size)} MB  ${msgs} messages` };
  };
  return {
    update(p: { bytes: number; sipMessages: number; hepPackets: number }) {
      const { frac, text } = line(p.bytes, p.sipMessages + p.hepPackets);
      if (out.isTTY) {
        const now = Date.now();
        if (now - lastDraw < REDRAW_MS && frac < 1) return;
        lastDraw = now;
        const width = 30;
        const fill = Math.round(frac * width);
        out.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${text}`);
        drawn = true;
      } else {
        const decile = Math.floor(frac * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        out.write(`${text}\n`);
      }
    },
    done() {
      if (drawn) out.write('\n');
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function sum(rs: CaptureImport[], k: 'packets' | 'sipMessages' | 'hepPackets'): number {
  return rs.reduce((n, r) => n + r[k], 0);
}

export function registerImport(program: Command): void {
  const cmd = program.command('import')
    .description('import pcap / pcapng files: SIP over UDP and TCP, and HEP in UDP, into the store')
    .argument('<files...>', 'capture files (pcap or pcapng)');
  addConfigOptions(cmd, ['store', 'correlationHeaders', 'batchSize', 'aliases']);
  cmd.action(async (files: string[]) => {
    await checkCaptureFiles(files); // before the store is opened (or created)
    const config = configFrom(cmd);
    const store = await openStore(config);
    const ingest = new Ingest({ store, config, metrics: new Metrics() });
    try {
      await runImport(files, { ingest, store, out: process.stdout });
    } finally {
      await ingest.close();
      await store.close();
    }
  });
}
