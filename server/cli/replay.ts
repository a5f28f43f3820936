/** `hepflow replay`: send a scenario, a capture file or stored messages as HEP to a collector. */
import type { Command } from 'commander';
import { sendPackets, parseTarget } from '../replay/sender.ts';
import { SCENARIOS } from '../scenarios/index.ts';
import { sendScenarios } from './demo.ts';
import { packetsFromStore, replayCapture } from '../replay/sources.ts';
import { loadConfig } from '../config.ts';

export function registerReplay(program: Command): void {
  program.command('replay')
    .description('send a scenario, a capture file or stored messages as HEP to a collector')
    .option('--scenario <name>', `a library scenario, or "all" (${SCENARIOS.map((s) => s.name).join(', ')})`)
    .option('--pcap <file>', 'a pcap or pcapng file: SIP is wrapped in HEP3, HEP is sent as captured')
    .option('--store <path>', 'an SQLite store to read messages from (with --id)')
    .option('--id <id>', 'with --store: the group (any Call-ID or correlation id) to send')
    .option('--to <target>', 'collector: udp://host:port or tcp://host:port', 'udp://127.0.0.1:9060')
    .option('--rate <n>', 'packets per second, 0 = as fast as possible', '1000')
    .option('--capture-id <n>', 'HEP capture id for packets built from a capture file or store', '2001')
    .action(async (o) => {
      const target = parseTarget(o.to);
      const rate = Number(o.rate);
      if (!Number.isFinite(rate) || rate < 0) throw new Error('--rate must be a number >= 0');
      const sources = [o.scenario, o.pcap, o.store].filter(Boolean).length;
      if (sources !== 1) throw new Error('give exactly one of --scenario, --pcap or --store');
      let sent = 0;
      if (o.scenario) {
        const chosen = o.scenario === 'all' ? SCENARIOS : SCENARIOS.filter((s) => s.name === o.scenario);
        if (!chosen.length) throw new Error(`no scenario "${o.scenario}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
        sent = await sendScenarios(target, chosen, Date.now() * 1000, rate);
      } else if (o.pcap) {
        sent = await replayCapture(o.pcap, target, { rate, captureId: Number(o.captureId) });
      } else {
        if (!o.id) throw new Error('--store needs --id');
        const config = loadConfig({ store: o.store });
        sent = await sendPackets(target, await packetsFromStore(config, o.id, Number(o.captureId)), { rate });
      }
      process.stdout.write(`sent ${sent} HEP packets to ${o.to}\n`);
    });
}
