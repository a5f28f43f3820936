/**
 * The kinds of items a ladder shows beside SIP (logs, REST, transport events, RTCP and QoS
 * reports): their row text, their side, and which are shown. Pure: no DOM, no React.
 */
import type { Side } from './sides.ts';

export type ItemKind = 'sip' | 'log' | 'rest' | 'transport' | 'rtcp' | 'qos' | 'other';
/** Display order of the kind filter. */
export const ITEM_KINDS: readonly ItemKind[] = ['sip', 'log', 'rest', 'transport', 'rtcp', 'qos', 'other'];
export const KIND_LABELS: Readonly<Record<ItemKind, string>> = {
  sip: 'SIP', log: 'Logs', rest: 'REST', transport: 'Transport', rtcp: 'RTCP', qos: 'QoS', other: 'Other',
};

interface ItemLike {
  kind?: string;
  label: string;
  text?: string | null;
  level?: string | null;
  latencyMs?: number | null;
  stats?: { ssrc: number | null; jitterMs: number; fractionLost: number; packetsLost: number | null; rttMs: number | null; mos: number | null } | null;
}

/** The kind of a message (whole and lean answers both carry it); one without any is SIP. */
export function kindOf(m: { kind?: string }): ItemKind {
  return (ITEM_KINDS as readonly string[]).includes(m.kind ?? '') ? (m.kind as ItemKind) : 'sip';
}

/** Log level → one of four colour classes. */
export function levelClass(level: string | null | undefined): 'error' | 'warning' | 'info' | 'debug' {
  switch (level) {
    case 'alert': case 'critical': case 'error': return 'error';
    case 'warning': return 'warning';
    case 'debug': return 'debug';
    default: return 'info';
  }
}

/** Longest row text, characters: a log line may be long; the detail pane has the whole. */
const MAX_ROW_TEXT = 140;

/** The text of an item's row: a log line, a REST line with its latency, a report's figures. */
export function itemText(m: ItemLike): string {
  const clip = (s: string): string => {
    const line = s.replace(/\s+$/, '').split('\n')[0];
    return line.length > MAX_ROW_TEXT ? `${line.slice(0, MAX_ROW_TEXT - 1)}…` : line;
  };
  switch (kindOf(m)) {
    case 'log': return clip(`${(m.level ?? 'log').toUpperCase()} ${m.text ?? ''}`);
    case 'rest': return clip(`${m.text ?? m.label}${m.latencyMs != null ? ` · ${m.latencyMs} ms` : ''}`);
    case 'transport': return clip(m.text ?? m.label);
    case 'rtcp':
    case 'qos': return m.stats ? reportText(kindOf(m) === 'rtcp' ? 'RTCP' : 'QoS', m.stats) : m.label;
    default: return m.label;
  }
}

/** "RTCP 0x5e0b3d11 · jitter 20 ms · loss 7.8 % · lost 51 · RTT 12 ms · MOS 3.9". */
export function reportText(name: string, s: NonNullable<ItemLike['stats']>): string {
  const parts = [s.ssrc !== null ? `${name} 0x${s.ssrc.toString(16)}` : name, `jitter ${s.jitterMs} ms`, `loss ${(s.fractionLost * 100).toFixed(1)} %`];
  if (s.packetsLost !== null) parts.push(`lost ${s.packetsLost}`);
  if (s.rttMs !== null) parts.push(`RTT ${s.rttMs} ms`);
  if (s.mos !== null) parts.push(`MOS ${s.mos.toFixed(2)}`);
  return parts.join(' · ');
}

/**
 * Sides with each non-SIP item on the side of its leg (when the leg's SIP is on one side): a log
 * line or a report has no hop of its own to place it. `sides[i]` is the side of `messages[i]`.
 */
export function itemSides(messages: readonly { kind?: string; leg: number }[], sides: readonly Side[]): Side[] {
  const legSide = new Map<number, Side | null>();
  messages.forEach((m, i) => {
    if (kindOf(m) !== 'sip') return;
    const s = sides[i];
    const had = legSide.get(m.leg);
    legSide.set(m.leg, had === undefined || had === s ? s : null);
  });
  return messages.map((m, i) => (kindOf(m) === 'sip' ? sides[i] : (legSide.get(m.leg) ?? sides[i])));
}
