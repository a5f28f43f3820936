/**
 * The RTP streams of each leg (server/media/streams.ts): direction, codec, SSRC, RTCP summary,
 * MOS, and what looks wrong at a glance (no RTCP, no packets, hold, private SDP address, codec
 * mismatch), each flag naming the message that shows it, which the ladder marks too.
 */
import { useMemo } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import { legColorVar } from '../ladder/colors.ts';
import { flagText } from '../ladder/media-flags.ts';
import { KIND_LABELS, kindOf } from '../ladder/kinds.ts';
import './MediaPanel.css';

interface Props {
  model: FlowModel;
  hiddenLegs: readonly string[];
}

const DIRECTION_TEXT = { 'caller-to-callee': 'caller → callee', 'callee-to-caller': 'callee → caller', unknown: 'stream' } as const;

export function MediaPanel({ model, hiddenLegs }: Props) {
  const causes = useMemo(() => causeLabels(model), [model]);
  if (model.media.length === 0) return null;
  const legPos = new Map(model.legs.map((l, i) => [l.index, i]));
  return (
    <section className="MediaPanel" aria-labelledby="media-title" data-testid="media-panel">
      <h2 id="media-title" className="FlowView--h">Media</h2>
      {model.legs.filter((l) => !hiddenLegs.includes(l.callId)).map((leg) => {
        const streams = model.media.filter((s) => s.leg === leg.index);
        if (streams.length === 0) return null;
        return (
          <div key={leg.callId} className="MediaPanel--leg" data-testid="media-leg" data-leg={leg.index}>
            <div className="MediaPanel--legHead">
              <span className="Legend--swatch" style={{ background: legColorVar(legPos.get(leg.index) ?? leg.index) }} aria-hidden />
              Leg {leg.index + 1}
            </div>
            <ul className="MediaPanel--list">
              {streams.map((s, i) => (
                <li key={i} className={`MediaPanel--stream${s.flags.length ? ' is-flagged' : ''}`} data-testid="media-stream" data-leg={s.leg} data-direction={s.direction} data-flags={s.flags.join(' ')}>
                  <div>
                    <strong>{DIRECTION_TEXT[s.direction]}</strong> {s.codec ?? '?'}
                    {s.ssrc !== null && <span className="mono"> 0x{s.ssrc.toString(16)}</span>}
                  </div>
                  {s.src !== null && <div className="MediaPanel--addr mono">{s.src} → {s.dst}</div>}
                  <div className="MediaPanel--figures">
                    {s.reports === 0
                      ? 'no reports'
                      : s.jitterMeanMs === null
                        ? `${s.reports} reports, none with a reception block`
                        : `${s.reports} reports · lost ${s.packetsLost ?? '?'} · jitter ${s.jitterMeanMs} ms mean, ${s.jitterMaxMs} max${s.rttMs !== null ? ` · RTT ${s.rttMs} ms` : ''}`}
                    {s.mos !== null && <span className={`MediaPanel--mos${s.mos < 3.6 ? ' is-bad' : ''}`} data-testid="media-mos"> · MOS {s.mos.toFixed(2)}</span>}
                  </div>
                  {s.causes.length > 0 && (
                    <div className="MediaPanel--flags">
                      ⚠{' '}
                      {s.causes.map((c, j) => {
                        const on = c.messageId === null ? undefined : causes.get(c.messageId);
                        return (
                          <span key={c.flag} className="MediaPanel--flag" data-testid="media-flag" data-flag={c.flag} data-message-id={c.messageId ?? undefined}>
                            {j > 0 && ', '}
                            {flagText(c.flag)}
                            {on !== undefined && <span className="MediaPanel--cause"> · on {on}</span>}
                          </span>
                        );
                      })}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Message id → how a flag names the message that shows it: "200 OK", "RTCP". One pass over the messages. */
function causeLabels(model: FlowModel): Map<string, string> {
  const ids = new Set(model.media.flatMap((s) => s.causes.map((c) => c.messageId)));
  const out = new Map<string, string>();
  for (const m of model.messages) if (ids.has(m.id)) out.set(m.id, kindOf(m) === 'sip' ? m.label : KIND_LABELS[kindOf(m)]);
  return out;
}
