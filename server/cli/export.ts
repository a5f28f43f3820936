/** `hepflow export ID --format pcap|text -o FILE`: one group's messages as a pcap or text file. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addConfigOptions, configFrom } from './context.ts';
import { openStore } from '../store/open.ts';
import { exportGroup, type ExportFormat } from '../pcap/export.ts';
import type { Store } from '../store/types.ts';

export interface ExportDeps {
  store: Store;
  format: ExportFormat;
  /** Output file; '-' or absent writes to `out`. */
  outFile?: string;
  out: NodeJS.WritableStream;
  /** Message ids to keep; all when absent. */
  ids?: string[];
}

/** Writes the export; returns how many messages went into it. Throws when the id is unknown. */
export async function runExport(id: string, deps: ExportDeps): Promise<number> {
  const group = await deps.store.getGroup(id);
  if (!group) throw new Error(`no call or correlation id "${id}" in the store`);
  const file = exportGroup(group, deps.format, deps.ids);
  if (deps.outFile && deps.outFile !== '-') await writeFile(deps.outFile, file.body);
  else deps.out.write(file.body);
  return file.messages;
}

export function registerExport(program: Command): void {
  const cmd = program.command('export')
    .description("write one group's messages (any Call-ID or correlation id of it) as pcap or plain text")
    .argument('<id>', 'a Call-ID or correlation id of the group')
    .option('--format <format>', 'pcap or text', 'pcap')
    .option('-o, --output <file>', 'output file ("-" for stdout)', '-')
    .option('--ids <list>', 'comma-separated message ids to export (default: all)');
  addConfigOptions(cmd, ['store']);
  cmd.action(async (id: string, o: { format: string; output: string; ids?: string }) => {
    if (o.format !== 'pcap' && o.format !== 'text') throw new Error('--format must be pcap or text');
    const config = configFrom(cmd);
    const store = await openStore(config);
    try {
      const n = await runExport(id, {
        store, format: o.format, outFile: o.output, out: process.stdout,
        ids: o.ids ? o.ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      });
      if (o.output !== '-') process.stderr.write(`wrote ${n} messages to ${o.output}\n`);
    } finally {
      await store.close();
    }
  });
}
