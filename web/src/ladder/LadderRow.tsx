/**
 * One message of the ladder: time cell, arrow coloured by leg, label with marks. Text only:
 * every SIP-derived string is a React text child, never markup.
 */
import { memo, type ReactNode } from 'react';
import type { FlowMessage } from '../model/normalize.ts';
import type { LayoutRow } from './layout.ts';
import type { Side } from './sides.ts';
import { legColorVar, statusClass } from './colors.ts';
import { itemText, kindOf, levelClass, type ItemKind } from './kinds.ts';
import { flagText } from './media-flags.ts';
import { problemMark, problemTitle } from './problem-marks.ts';
import { problemDefinition } from '../model/problems.ts';
import './LadderRow.css';

export interface LadderRowProps {
  row: LayoutRow;
  message: FlowMessage;
  /** Media flags this message caused (media-flags.ts), undefined for none. */
  mediaFlags?: readonly string[];
  /** Call problem codes this message shows (problem-marks.ts), undefined for none. */
  problems?: readonly string[];
  side: Side;
  time: string;
  timeTitle: string;
  /** Screen px: the zoom scale applied to world x. */
  k: number;
  width: number;
  height: number;
  selected: boolean;
  cursor: boolean;
  onPick(index: number, additive: boolean): void;
}

/** Arrowhead length and half-width, px. */
const HEAD = 8;
const HEAD_HALF = 4;
/** Loop arrow width for a message that stays in one column, px. */
const LOOP_W = 26;

function LadderRowImpl({ row, message: m, mediaFlags, problems, side, time, timeTitle, k, width, height, selected, cursor, onPick }: LadderRowProps) {
  const x1 = row.x1 * k;
  const x2 = row.x2 * k;
  const ay = Math.round(height * 0.72) + 0.5;
  const color = legColorVar(m.legPosition);
  const dash = m.retransmission ? '4 3' : undefined;
  const dir = x2 >= x1 ? 1 : -1;
  const labelX = row.self ? x1 + LOOP_W + 6 : (x1 + x2) / 2;
  const seen = m.captureIds.length;
  const cls = ['LadderRow', selected ? 'is-selected' : '', cursor ? 'is-cursor' : ''].join(' ');
  const kind = kindOf(m);
  const flags = flagLabel(mediaFlags);
  const flagMark = flags !== null && <tspan className="LadderRow--mark is-warn" data-testid="media-flag">{flags}</tspan>;
  const problemText = problemMark(problems);
  // An SVG <title> child is the hover text; the arrow's aria-label names the codes for screen readers.
  const problemTag = problemText !== null && (
    <tspan className="LadderRow--mark is-problem" data-testid="problem-mark" data-codes={problems!.join(' ')}>
      <title>{problemTitle(problems!, problemDefinition)}</title>
      {problemText}
    </tspan>
  );
  const marks = <>{flagMark}{problemTag}</>;
  return (
    <div
      className={cls}
      style={{ transform: `translateY(${row.y}px)`, height }}
      onClick={(e) => onPick(m.index, e.shiftKey || e.metaKey || e.ctrlKey)}
      data-row-index={m.index}
    >
      <div className="LadderRow--time mono" title={timeTitle}>
        {time}
      </div>
      {/* the whole row is the click target, so the thin arrow needs no hit area of its own */}
      <svg className="LadderRow--svg" width={width} height={height}>
        <g
          data-testid="message"
          data-kind={kind}
          data-call-id={m.callId}
          data-side={side}
          data-index={m.index}
          data-id={m.id}
          data-leg={m.leg}
          data-src={m.src}
          data-dst={m.dst}
          data-label={m.label}
          data-media-flags={mediaFlags?.join(' ')}
          data-problems={problems?.join(' ')}
          className="LadderRow--arrow"
          role="button"
          aria-label={`${m.label} from ${m.src} to ${m.dst}${problems?.length ? `, problems: ${problems.join(', ')}` : ''}`}
        >
          {kind !== 'sip' ? (
            <ItemMark kind={kind} m={m} x1={x1} x2={x2} ay={ay} height={height} color={color} self={row.self} flags={flags} marks={marks} />
          ) : row.self ? (
            <>
              <path d={`M${x1} ${height * 0.3} h${LOOP_W} V${ay} H${x1 + HEAD}`} fill="none" stroke={color} strokeWidth={1.5} strokeDasharray={dash} />
              <path d={`M${x1} ${ay} l${HEAD} ${-HEAD_HALF} v${HEAD_HALF * 2} z`} fill={color} />
            </>
          ) : (
            <>
              <line x1={x1} y1={ay} x2={x2 - dir * HEAD} y2={ay} stroke={color} strokeWidth={1.5} strokeDasharray={dash} />
              <path d={`M${x2} ${ay} l${-dir * HEAD} ${-HEAD_HALF} v${HEAD_HALF * 2} z`} fill={color} />
            </>
          )}
          {kind === 'sip' && <text x={labelX} y={ay - 6} textAnchor={row.self ? 'start' : 'middle'} className={`LadderRow--label st-${statusClass(m.status)}`}>
            {m.label}
            {m.hasSdp && <tspan className="LadderRow--mark"> ▣SDP</tspan>}
            {m.retransmission && <tspan className="LadderRow--mark is-warn"> ↻retrans</tspan>}
            {seen > 1 && <tspan className="LadderRow--mark"> {`seen at ${seen}`}</tspan>}
            {m.malformed !== null && <tspan className="LadderRow--mark is-warn"> ⚠malformed</tspan>}
            {marks}
          </text>}
        </g>
      </svg>
    </div>
  );
}

export const LadderRow = memo(LadderRowImpl);

/** " ⚠no packets, codec not offered": the media flags a row's message caused; null for none. */
function flagLabel(flags: readonly string[] | undefined): string | null {
  return flags?.length ? ` ⚠${flags.map(flagText).join(', ')}` : null;
}

/** Width of one character of the 12 px row text, px, to size a log note's box. */
const CHAR_W = 6.6;
/** Share of a report interval's packets lost from which its row is drawn as a warning. */
const LOSS_WARN = 0.03;

/**
 * A non-SIP item (kinds.ts): a log line as a note on the lifeline of the box that logged it, a
 * transport event as markers on the connection's two endpoints, a REST request or reply as an
 * arrow to or from the HTTP service, an RTCP/QoS report as a dotted arrow with its figures.
 */
function ItemMark({ kind, m, x1, x2, ay, height, color, self, flags, marks }: { kind: ItemKind; m: FlowMessage; x1: number; x2: number; ay: number; height: number; color: string; self: boolean; flags: string | null; marks: ReactNode }) {
  const text = itemText(m);
  if (kind === 'log' || self) {
    const lv = kind === 'log' ? levelClass(m.level) : 'info';
    const w = (text.length + (flags?.length ?? 0)) * CHAR_W + 12;
    return (
      <>
        <circle cx={x1} cy={height / 2} r={3.5} className={`LadderRow--dot lv-${lv}`} />
        <rect x={x1 + 8} y={3} width={w} height={height - 6} rx={3} className={`LadderRow--note lv-${lv}`} />
        <text x={x1 + 14} y={height / 2 + 4} className={`LadderRow--itemText lv-${lv}`}>{text}{marks}</text>
      </>
    );
  }
  const dir = x2 >= x1 ? 1 : -1;
  const mid = (x1 + x2) / 2;
  if (kind === 'transport') {
    const d = (x: number) => `M${x} ${ay - 5} l5 5 l-5 5 l-5 -5 z`;
    return (
      <>
        <line x1={x1} y1={ay} x2={x2} y2={ay} stroke={color} strokeWidth={1} strokeDasharray="2 4" />
        <path d={d(x1)} className="LadderRow--marker" />
        <path d={d(x2)} className="LadderRow--marker" />
        <text x={mid} y={ay - 7} textAnchor="middle" className="LadderRow--itemText is-transport">{text}</text>
      </>
    );
  }
  const report = kind === 'rtcp' || kind === 'qos';
  const warn = report && (m.stats?.fractionLost ?? 0) >= LOSS_WARN;
  return (
    <>
      <line x1={x1} y1={ay} x2={x2 - dir * HEAD} y2={ay} stroke={color} strokeWidth={report ? 1 : 1.5} strokeDasharray={report ? '1 3' : kind === 'rest' ? '6 2' : undefined} />
      <path d={`M${x2} ${ay} l${-dir * HEAD} ${-HEAD_HALF} v${HEAD_HALF * 2} z`} fill={color} />
      <text x={mid} y={ay - 6} textAnchor="middle" className={`LadderRow--itemText is-${kind}${warn ? ' lv-error' : ''}`}>{text}{marks}</text>
    </>
  );
}
