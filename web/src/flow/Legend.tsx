/**
 * Every leg of the group: colour, role, users, status, and why it joined (server's sentences).
 * A leg that joined by inferred links only (no shared id, server/correlate/inferred.ts) is marked
 * "inferred" and can be unlinked: it leaves the ladder with its messages, and the share link keeps it out.
 */
import type { FlowModel } from '../model/normalize.ts';
import { legColorVar, statusClass } from '../ladder/colors.ts';
import { useOptimisticToggle } from '../state/useOptimisticToggle.ts';
import { SCENARIO_TITLES } from '../../../server/correlate/scenario-kind.ts';
import './Legend.css';

interface Props {
  model: FlowModel;
  hiddenLegs: string[];
  unlinkedLegs: string[];
  onToggle(callId: string): void;
  onShowAll(): void;
  /** Unlinks an inferred leg, or links an unlinked one again. */
  onUnlink(callId: string): void;
}

type Leg = FlowModel['legs'][number];

/** True when every reason the leg is listed with is an inferred link. */
function joinedByInferenceOnly(leg: Leg): boolean {
  return leg.links.length > 0 && leg.links.every((l) => l.rule === 'inferred');
}

export function Legend({ model, hiddenLegs, unlinkedLegs, onToggle, onShowAll, onUnlink }: Props) {
  const [hiddenNow, toggle] = useOptimisticToggle(hiddenLegs, onToggle);
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
      {/* The whole group's kind, as the search list names it (server/correlate/scenario-kind.ts). */}
      <p className="Legend--scenario" data-testid="flow-scenario" title={SCENARIO_TITLES[model.scenario]}>
        Scenario: <span className={`Legend--kind is-${model.scenario}`}>{model.scenario}</span>
      </p>
      <ul className="Legend--list">
        {model.legs.map((leg, pos) => {
          const unlinked = unlinkedLegs.includes(leg.callId);
          const shown = !unlinked && !hiddenNow.includes(leg.callId);
          const inferred = joinedByInferenceOnly(leg);
          return (
            <li
              key={leg.callId}
              className={`Legend--leg${shown ? '' : ' is-hidden'}${unlinked ? ' is-unlinked' : ''}`}
              data-testid="leg"
              data-call-id={leg.callId}
              data-role={leg.role}
              data-unlinked={unlinked || undefined}
            >
              <label className="Legend--head">
                <input type="checkbox" checked={shown} disabled={unlinked} onChange={() => toggle(leg.callId)} aria-label={`Show leg ${leg.index + 1}`} />
                <span className="Legend--swatch" style={{ background: legColorVar(pos) }} aria-hidden />
                <span className="Legend--role">
                  {leg.index + 1}. {leg.roleText}
                  {unlinked && ' (unlinked)'}
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
                    <li key={i} title={`${l.header ?? l.rule}: ${l.value}`} className={l.rule === 'inferred' ? 'is-inferred' : undefined}>
                      {l.rule === 'inferred' && <span className="Legend--inferred" title="No shared id: matched by box, time and numbers">inferred</span>}
                      {l.text}
                    </li>
                  ))}
                </ul>
              )}
              {(inferred || unlinked) && (
                <button
                  type="button"
                  className="btn FlowView--mini Legend--unlink"
                  onClick={() => onUnlink(leg.callId)}
                  aria-label={`${unlinked ? 'Link again' : 'Unlink'} leg ${leg.index + 1}`}
                >
                  {unlinked ? 'Link again' : 'Unlink'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
