/**
 * Raw SIP as virtualized rows: only the rows in view are in the DOM, so a 256 KiB message (or
 * one long line) costs a few dozen nodes. SIP is hostile input: every row is a text child.
 */
import { useMemo, useRef } from 'react';
import { uniformRowIndex } from '../ladder/row-index.ts';
import { useVirtualRows } from '../ui/useVirtualRows.ts';
import { rawRows } from './raw-rows.ts';
import './RawText.css';

/** Row height, px: the 12 px monospace line of RawText.css. */
const ROW_PX = 16;
/** Characters per row: what the 460 px pane shows of 12 px monospace before it would wrap. */
const ROW_CHARS = 60;

export function RawText({ text }: { text: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => rawRows(text, ROW_CHARS), [text]);
  const index = useMemo(() => uniformRowIndex(rows.count, ROW_PX), [rows]);
  const { start, end } = useVirtualRows(scroller, index, 0);
  const shown = [];
  for (let i = start; i < end; i++) {
    shown.push(
      <div key={i} className={rows.continued[i] ? 'RawText--row RawText--cont' : 'RawText--row'} style={{ top: i * ROW_PX }}>
        {text.slice(rows.starts[i], rows.ends[i])}
      </div>,
    );
  }
  return (
    <div className="RawText mono" ref={scroller} data-testid="raw-sip" data-rows={rows.count} style={{ height: Math.min(rows.count * ROW_PX + 14, 480) }}>
      <div className="RawText--body" style={{ height: rows.count * ROW_PX }}>
        {shown}
      </div>
    </div>
  );
}
