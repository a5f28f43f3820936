/** Every leg of the group: colour, role, users, status, and why it joined (server's sentences). */
import type { FlowModel } from '../model/normalize.ts';
import { legColorVar, statusClass } from '../ladder/colors.ts';
import './Legend.css';

interface Props {
  model: FlowModel;
  hiddenLegs: string[];
  onToggle(callId: string): void;
  onShowAll(): void;
}

export function Legend({ model, hiddenLegs, onToggle, onShowAll }: Props) {
  return (
    <section className="Legend" aria-labelledby="legend-title">
      <h2 id="legend-title" className="FlowView--h">
        Legs
        {hiddenLegs.length > 0 && (
          <button type="button" className="btn FlowView--mini" onClick={onShowAll}>
            Show all
          </button>
        )}
      </h2>
      <ul className="Legend--list">
        {model.legs.map((leg, pos) => {
          const shown = !hiddenLegs.includes(leg.callId);
          return (
            <li key={leg.callId} className={`Legend--leg${shown ? '' : ' is-hidden'}`} data-testid="leg" data-call-id={leg.callId} data-role={leg.role}>
              <label className="Legend--head">
                <input type="checkbox" checked={shown} onChange={() => onToggle(leg.callId)} aria-label={`Show leg ${leg.index + 1}`} />
                <span className="Legend--swatch" style={{ background: legColorVar(pos) }} aria-hidden />
                <span className="Legend--role">
                  {leg.index + 1}. {leg.roleText}
                </span>
                <span className={`Legend--status st-${statusClass(leg.status)}`}>{leg.status ?? '…'}</span>
              </label>
              <div className="Legend--callid mono" title={leg.callId}>
                {leg.callId}
              </div>
              <div className="Legend--users">
                {leg.fromUser ?? '?'} → {leg.toUser ?? '?'} · {leg.messages} msgs
              </div>
              {leg.links.length > 0 && (
                <ul className="Legend--why" aria-label="Why this leg is in the group">
                  {leg.links.map((l, i) => (
                    <li key={i} title={`${l.header ?? l.rule}: ${l.value}`}>
                      {l.text}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
