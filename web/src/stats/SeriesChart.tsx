/**
 * Calls per minute over the range: a column a bucket, its answered part drawn over it. The chart
 * is one stop of the Tab order: Left/Right (Home/End) move between columns, Enter or Space opens
 * the search list for that bucket's time, as a click does. D3 supplies the scales; React draws.
 */
import { useState, type KeyboardEvent } from 'react';
import { scaleBand, scaleLinear } from 'd3-scale';
import type { ApiCallStats } from '../../../server/api/types.ts';
import type { Zone } from '../model/time-format.ts';
import { formatDateTime } from '../model/time-format.ts';
import './SeriesChart.css';

type Point = ApiCallStats['series'][number];

interface Props {
  series: readonly Point[];
  /** Bucket size, µs. */
  bucketMicros: number;
  zone: Zone;
  onPick(p: Point): void;
}

/** Drawing size and margins (axis labels), px; the SVG scales to its box's width. */
const WIDTH_PX = 960;
const HEIGHT_PX = 180;
const M = { top: 10, right: 10, bottom: 22, left: 44 };

/** Calls per minute of `p`: its calls over the bucket's minutes. */
export function perMinute(calls: number, bucketMicros: number): number {
  return calls / (bucketMicros / 60e6);
}

export function SeriesChart({ series, bucketMicros, zone, onPick }: Props) {
  const [active, setActive] = useState(0);
  if (!series.length) return <p className="SeriesChart--empty">No calls in this range.</p>;
  const at = Math.min(active, series.length - 1);
  const x = scaleBand<number>().domain(series.map((_, i) => i)).range([M.left, WIDTH_PX - M.right]).paddingInner(0.15);
  const max = Math.max(...series.map((p) => perMinute(p.calls, bucketMicros)));
  const y = scaleLinear().domain([0, max > 0 ? max : 1]).nice().range([HEIGHT_PX - M.bottom, M.top]);
  const move = (e: KeyboardEvent<SVGGElement>, i: number) => {
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? series.length - 1 : null;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPick(series[i]);
    } else if (to !== null && to >= 0 && to < series.length) {
      e.preventDefault();
      setActive(to);
      (e.currentTarget.parentNode?.children[to] as SVGGElement | undefined)?.focus();
    }
  };
  const bucketText = bucketMicros >= 3_600e6 ? `${bucketMicros / 3_600e6} h` : `${bucketMicros / 60e6} min`;
  return (
    <figure className="SeriesChart" data-testid="stats-series">
      <figcaption className="SeriesChart--title">
        Calls per minute <span className="SeriesChart--note">(a column every {bucketText}; answered in green)</span>
      </figcaption>
      <svg className="SeriesChart--svg" viewBox={`0 0 ${WIDTH_PX} ${HEIGHT_PX}`} role="group" aria-label="Calls per minute">
        <g className="SeriesChart--axis">
          {y.ticks(4).map((t) => (
            <g key={t} transform={`translate(0, ${y(t)})`}>
              <line x1={M.left} x2={WIDTH_PX - M.right} />
              <text x={M.left - 6}>{t}</text>
            </g>
          ))}
          <text className="SeriesChart--time" x={M.left} y={HEIGHT_PX - 6}>
            {formatDateTime(series[0].start, zone)}
          </text>
          <text className="SeriesChart--time is-end" x={WIDTH_PX - M.right} y={HEIGHT_PX - 6}>
            {formatDateTime(series[series.length - 1].start, zone)}
          </text>
        </g>
        <g>
          {series.map((p, i) => {
            const rate = perMinute(p.calls, bucketMicros);
            const answered = perMinute(p.answered, bucketMicros);
            return (
              <g
                key={p.start}
                className="SeriesChart--col"
                role="button"
                tabIndex={i === at ? 0 : -1}
                aria-label={`${formatDateTime(p.start, zone)}: ${p.calls} calls, ${p.answered} answered. Open in the search list`}
                data-testid="stats-series-col"
                onClick={() => onPick(p)}
                onFocus={() => setActive(i)}
                onKeyDown={(e) => move(e, i)}
              >
                <title>{`${formatDateTime(p.start, zone)}: ${p.calls} calls (${rate.toFixed(1)}/min), ${p.answered} answered`}</title>
                <rect className="SeriesChart--hit" x={x(i)} y={M.top} width={x.bandwidth()} height={HEIGHT_PX - M.bottom - M.top} />
                <rect className="SeriesChart--calls" x={x(i)} y={y(rate)} width={x.bandwidth()} height={y(0) - y(rate)} />
                <rect className="SeriesChart--answered" x={x(i)} y={y(answered)} width={x.bandwidth()} height={y(0) - y(answered)} />
              </g>
            );
          })}
        </g>
      </svg>
    </figure>
  );
}
