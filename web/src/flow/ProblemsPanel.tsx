/**
 * The call problems of the group (FlowModel.problems): leg, code, definition and the message each
 * names, as buttons that select that message (in the link, as a click on its row) and scroll to it.
 * The ladder marks the same problems on their rows (ladder/problem-marks.ts).
 */
import type { FlowModel, FlowProblem } from '../model/normalize.ts';
import { legColorVar } from '../ladder/colors.ts';
import { problemDefinition } from '../model/problems.ts';
import './ProblemsPanel.css';

interface Props {
  model: FlowModel;
  hiddenLegs: readonly string[];
  /** The one selected message id, null for none or a compare. */
  selectedId: string | null;
  onJump(p: FlowProblem): void;
}

export function ProblemsPanel({ model, hiddenLegs, selectedId, onJump }: Props) {
  if (model.problems.length === 0) return null;
  const hidden = new Set(model.legs.filter((l) => hiddenLegs.includes(l.callId)).map((l) => l.index));
  const shown = model.problems.filter((p) => !hidden.has(p.leg));
  return (
    <section className="ProblemsPanel" aria-labelledby="problems-title" data-testid="problems-panel">
      <h2 id="problems-title" className="FlowView--h">Problems ({shown.length})</h2>
      <ul className="ProblemsPanel--list">
        {shown.map((p) => {
          const m = p.messageIndex >= 0 ? model.messages[p.messageIndex] : null;
          return (
            <li key={`${p.leg} ${p.code}`}>
              <button
                type="button"
                className="ProblemsPanel--item"
                data-testid="problem"
                data-code={p.code}
                data-message-id={p.messageId}
                aria-current={p.messageId === selectedId ? 'true' : undefined}
                disabled={m === null}
                title={m === null ? 'Its message is not loaded yet' : undefined}
                onClick={() => onJump(p)}
              >
                <span className="ProblemsPanel--head">
                  <span className="Legend--swatch" style={{ background: legColorVar(p.legPosition) }} aria-hidden />
                  <span className="ProblemsPanel--leg">Leg {p.leg + 1}</span>
                  <span className="ProblemsPanel--code mono">{p.code}</span>
                  {p.count > 1 && <span className="ProblemsPanel--count">×{p.count}</span>}
                </span>
                <span className="ProblemsPanel--text">{problemDefinition(p.code)}</span>
                {m !== null && <span className="ProblemsPanel--on">on {m.label}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
