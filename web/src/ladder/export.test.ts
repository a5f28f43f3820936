import { describe, expect, it } from 'vitest';
import { type ExportRow, escapeXml, ladderSvg, ladderText } from './export.ts';
import { layoutLadder } from './layout.ts';

const hostile = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">';
const layout = layoutLadder([{ leg: 0, src: 'A', dst: 'B' }], {
  columns: ['A', 'B'],
  keyOf: new Map(),
  hiddenLegs: new Set(),
  sides: ['caller'],
  sideMode: 'both',
});
const row: ExportRow = {
  time: '12:00:00.000000',
  label: `INVITE ${hostile}`,
  marks: ['SDP', 'seen at 2'],
  legPosition: 0,
  status: null,
  retransmission: false,
  src: 'A',
  dst: 'B',
  leg: 'leg 1',
};

describe('export', () => {
  it('escapes markup characters and drops control characters', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('writes an SVG whose hostile labels are text, not elements', () => {
    const svg = ladderSvg({
      layout,
      rows: [row],
      columnLabels: ['A', hostile],
      title: `Group ${hostile}`,
      timeHeader: 'UTC',
      legend: [{ position: 0, text: hostile }],
      palette: ['#000'],
      theme: { background: '#fff', text: '#000', muted: '#666', lifeline: '#ccc' },
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(svg).toContain('[SDP, seen at 2]');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('writes one text line per row with hop, label and marks', () => {
    const text = ladderText('Group g', 'UTC', [row]);
    expect(text.split('\n')[3]).toBe(`12:00:00.000000  A    -> B     INVITE ${hostile}  [SDP, seen at 2]  (leg 1)`);
  });
});
