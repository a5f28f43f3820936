import { describe, expect, it } from 'vitest';
import { PALETTES, paletteCss, statusClass } from './colors.ts';
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
      palette: PALETTES.light,
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

  /** The custom properties the screen's stylesheets read in `theme`, from what main.tsx installs. */
  function screenVars(theme: 'light' | 'dark'): Map<string, string> {
    const [light, dark] = paletteCss().split('\n');
    const block = theme === 'light' ? light : dark;
    return new Map([...block.matchAll(/(--[\w-]+): ([^;]+);/g)].map((m) => [m[1], m[2]]));
  }

  it.each(['light', 'dark'] as const)('labels each status in the exported SVG with the colour the %s screen uses', (theme) => {
    //  one row per status class, all on the A → B hop
    const statuses = [null, 100, 200, 302, 486, 503];
    const rowsLayout = layoutLadder(statuses.map(() => ({ leg: 0, src: 'A', dst: 'B' })), {
      columns: ['A', 'B'], keyOf: new Map(), hiddenLegs: new Set(), sides: statuses.map(() => 'caller' as const), sideMode: 'both',
    });
    const svg = ladderSvg({
      layout: rowsLayout,
      rows: statuses.map((status, i) => ({ ...row, label: `L${i}`, marks: [], status })),
      columnLabels: ['A', 'B'],
      title: 'g',
      timeHeader: 'UTC',
      legend: [{ position: 0, text: 'leg 1' }],
      palette: PALETTES[theme],
    });
    const vars = screenVars(theme);
    statuses.forEach((status, i) => {
      const cls = statusClass(status);
      // .LadderRow--label has fill var(--text); .st-<class> overrides it for responses.
      const screen = vars.get(cls === 'request' ? '--text' : `--st-${cls}`);
      expect(screen).toBeDefined();
      expect(svg).toContain(`fill="${screen}">L${i}</text>`);
    });
    expect(svg).toContain(`width="12" height="12" fill="${vars.get('--leg-0')}"/>`);
  });
});
