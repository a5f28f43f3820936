/** Which item kinds the ladder shows (SIP, logs, REST, transport events, RTCP, QoS); part of the share link. */
import { useMemo } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import { ITEM_KINDS, KIND_LABELS, kindOf, type ItemKind } from '../ladder/kinds.ts';
import { useOptimisticToggle } from '../state/useOptimisticToggle.ts';
import './KindFilter.css';

interface Props {
  model: FlowModel;
  hidden: readonly ItemKind[];
  onToggle(kind: ItemKind): void;
}

export function KindFilter({ model, hidden, onToggle }: Props) {
  const counts = useMemo(() => {
    const c = new Map<ItemKind, number>();
    for (const m of model.messages) c.set(kindOf(m), (c.get(kindOf(m)) ?? 0) + 1);
    return c;
  }, [model]);
  const [hiddenNow, toggle] = useOptimisticToggle(hidden, onToggle);
  const present = ITEM_KINDS.filter((k) => counts.has(k));
  // A group of SIP only has nothing to choose.
  if (present.length < 2) return null;
  return (
    <section className="KindFilter" aria-labelledby="kinds-title" data-testid="kind-filter">
      <h2 id="kinds-title" className="FlowView--h">Show</h2>
      <ul className="KindFilter--list">
        {present.map((k) => (
          <li key={k}>
            <label className={`KindFilter--kind kind-${k}`}>
              <input type="checkbox" checked={!hiddenNow.includes(k)} onChange={() => toggle(k)} data-kind={k} aria-label={`Show ${KIND_LABELS[k]}`} />
              {KIND_LABELS[k]} <span className="KindFilter--count">{counts.get(k)}</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
