/**
 * Horizontal bars, one a row: each bar is a button (Tab to it, Enter or Space) that opens the
 * search list with its filter. D3 supplies the scale; React draws the SVG. Labels are text only.
 */
import type { KeyboardEvent } from 'react';
import { scaleLinear } from 'd3-scale';
import './BarChart.css';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Extra class of the bar (a disposition or status class colours it). */
  tone?: string;
  /** Hover text, the label when absent. */
  title?: string;
}

interface Props {
  title: string;
  bars: readonly Bar[];
  onPick(bar: Bar): void;
  testId: string;
  /** Said instead of the chart when there are no bars. */
  empty: string;
}

/** Row height, the label column's and the value column's width, and the whole width, px. */
const ROW_PX = 24;
const LABEL_PX = 160;
const VALUE_PX = 64;
const WIDTH_PX = 460;

export function BarChart({ title, bars, onPick, testId, empty }: Props) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const x = scaleLinear().domain([0, max]).range([0, WIDTH_PX - LABEL_PX - VALUE_PX]);
  const onKey = (e: KeyboardEvent, bar: Bar) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onPick(bar);
  };
  return (
    <figure className="BarChart" data-testid={testId}>
      <figcaption className="BarChart--title">{title}</figcaption>
      {bars.length === 0 ? (
        <p className="BarChart--empty">{empty}</p>
      ) : (
        <svg className="BarChart--svg" width={WIDTH_PX} height={bars.length * ROW_PX} viewBox={`0 0 ${WIDTH_PX} ${bars.length * ROW_PX}`}>
          {bars.map((b, i) => (
            <g
              key={b.key}
              className={`BarChart--bar${b.tone ? ` is-${b.tone}` : ''}`}
              transform={`translate(0, ${i * ROW_PX})`}
              role="button"
              tabIndex={0}
              aria-label={`${b.label}: ${b.value}. Open these calls in the search list`}
              data-testid={`${testId}-bar`}
              data-key={b.key}
              onClick={() => onPick(b)}
              onKeyDown={(e) => onKey(e, b)}
            >
              <title>{b.title ?? b.label}</title>
              <rect className="BarChart--hit" x={0} y={0} width={WIDTH_PX} height={ROW_PX} />
              <text className="BarChart--label" x={LABEL_PX - 8} y={ROW_PX / 2}>
                {b.label}
              </text>
              <rect className="BarChart--fill" x={LABEL_PX} y={4} width={b.value > 0 ? Math.max(2, x(b.value)) : 0} height={ROW_PX - 8} />
              <text className="BarChart--value" x={LABEL_PX + x(b.value) + 6} y={ROW_PX / 2}>
                {b.value}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}
