/**
 * The RTP streams of each leg (server/media/streams.ts): direction, codec, SSRC, RTCP summary,
 * MOS, and what looks wrong at a glance (no RTCP, hold, private SDP address, codec mismatch).
 */
import type { FlowModel } from '../model/normalize.ts';
import { legColorVar } from '../ladder/colors.ts';
import './MediaPanel.css';

interface Props {
  model: FlowModel;
  hiddenLegs: readonly string[];
}

/** Flag → what the panel says of it. */
const FLAG_TEXT: Readonly<Record<string, string>> = {
  'no-rtcp': 'no RTCP',
  sendonly: 'hold (sendonly)',
  recvonly: 'hold (recvonly)',
  inactive: 'inactive',
  'private-sdp': 'private SDP address',
  'codec-mismatch': 'codec not offered',
};

const DIRECTION_TEXT = { 'caller-to-callee': 'caller → callee', 'callee-to-caller': 'callee → caller', unknown: 'stream' } as const;

export function MediaPanel({ model, hiddenLegs }: Props) {
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
                    {s.reports > 0
                      ? `${s.reports} reports · lost ${s.packetsLost ?? '?'} · jitter ${s.jitterMeanMs} ms mean, ${s.jitterMaxMs} max${s.rttMs !== null ? ` · RTT ${s.rttMs} ms` : ''}`
                      : 'no reports'}
                    {s.mos !== null && <span className={`MediaPanel--mos${s.mos < 3.6 ? ' is-bad' : ''}`} data-testid="media-mos"> · MOS {s.mos.toFixed(2)}</span>}
                  </div>
                  {s.flags.length > 0 && <div className="MediaPanel--flags">⚠ {s.flags.map((f) => FLAG_TEXT[f] ?? f).join(', ')}</div>}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
