/**
 * What is on screen, as files: SVG text and plain text. Pure string building: every piece of SIP
 * text goes through escapeXml, since labels and users come from hostile packets.
 */
import type { LadderLayout } from './layout.ts';
import { labelColor, legColor, type Palette } from './colors.ts';

export interface ExportRow {
  time: string;
  label: string;
  /** "SDP", "seen at 3", "retransmission": marks after the label. */
  marks: string[];
  legPosition: number;
  status: number | null;
  retransmission: boolean;
  src: string;
  dst: string;
  leg: string;
}

export interface ExportInput {
  layout: LadderLayout;
  /** One per layout row, same order. */
  rows: ExportRow[];
  /** Header labels, one per layout column. */
  columnLabels: string[];
  title: string;
  timeHeader: string;
  /** Legend lines: colour position and text. */
  legend: { position: number; text: string }[];
  /** The theme's colours, as the screen shows them. */
  palette: Palette;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values; drops control characters XML 1.0 forbids. */
export function escapeXml(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Left gutter for the time text, world px; the header and title sit above the rows. */
const TIME_W = 130;
const HEAD_H = 56;
const LEGEND_LINE = 18;

/** A standalone SVG document of the ladder with its header, times and legend (homer-app#306). */
export function ladderSvg(x: ExportInput): string {
  const { layout, palette } = x;
  const rh = layout.rowHeight;
  const width = TIME_W + layout.width + 20;
  const legendTop = HEAD_H + layout.height + 20;
  const height = legendTop + x.legend.length * LEGEND_LINE + 10;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="${palette.background}"/>`,
    `<text x="8" y="18" font-weight="bold" fill="${palette.text}">${escapeXml(x.title)}</text>`,
    `<text x="8" y="${HEAD_H - 8}" fill="${palette.muted}">${escapeXml(x.timeHeader)}</text>`,
  );
  layout.columns.forEach((c, i) => {
    const cx = TIME_W + c.x;
    out.push(
      `<text x="${cx}" y="${HEAD_H - 8}" text-anchor="middle" fill="${palette.text}">${escapeXml(x.columnLabels[i] ?? c.key)}</text>`,
      `<line x1="${cx}" y1="${HEAD_H}" x2="${cx}" y2="${HEAD_H + layout.height}" stroke="${palette.lifeline}"/>`,
    );
  });
  layout.rows.forEach((r, i) => {
    const row = x.rows[i];
    const y = HEAD_H + r.y;
    const ay = y + rh * 0.72;
    const color = legColor(palette, row.legPosition);
    const x1 = TIME_W + r.x1;
    const x2 = TIME_W + r.x2;
    const dash = row.retransmission ? ' stroke-dasharray="4 3"' : '';
    out.push(`<text x="8" y="${ay + 4}" fill="${palette.muted}">${escapeXml(row.time)}</text>`);
    if (r.self) {
      out.push(
        `<path d="M${x1} ${y + rh * 0.3} h24 v${rh * 0.42} h-20" fill="none" stroke="${color}"${dash}/>`,
        `<path d="M${x1} ${ay} l7 -4 v8 z" fill="${color}"/>`,
      );
    } else {
      const dir = x2 > x1 ? -1 : 1;
      out.push(
        `<line x1="${x1}" y1="${ay}" x2="${x2}" y2="${ay}" stroke="${color}" stroke-width="1.5"${dash}/>`,
        `<path d="M${x2} ${ay} l${dir * 8} -4 v8 z" fill="${color}"/>`,
      );
    }
    const labelX = r.self ? x1 + 30 : (x1 + x2) / 2;
    const anchor = r.self ? 'start' : 'middle';
    const fill = labelColor(palette, row.status);
    const marks = row.marks.length > 0 ? ` [${row.marks.join(', ')}]` : '';
    out.push(`<text x="${labelX}" y="${ay - 5}" text-anchor="${anchor}" fill="${fill}">${escapeXml(row.label + marks)}</text>`);
  });
  x.legend.forEach((l, i) => {
    const y = legendTop + i * LEGEND_LINE;
    out.push(
      `<rect x="8" y="${y}" width="12" height="12" fill="${legColor(palette, l.position)}"/>`,
      `<text x="26" y="${y + 10}" fill="${palette.text}">${escapeXml(l.text)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Plain text: a header, then one line per row: time, hop, label, marks, leg. */
export function ladderText(title: string, timeHeader: string, rows: readonly ExportRow[]): string {
  const lines = [title, `time: ${timeHeader}`, ''];
  const srcW = Math.max(4, ...rows.map((r) => r.src.length));
  const dstW = Math.max(4, ...rows.map((r) => r.dst.length));
  for (const r of rows) {
    const marks = r.marks.length > 0 ? `  [${r.marks.join(', ')}]` : '';
    lines.push(`${r.time}  ${r.src.padEnd(srcW)} -> ${r.dst.padEnd(dstW)}  ${r.label}${marks}  (${r.leg})`);
  }
  return `${lines.join('\n')}\n`;
}
