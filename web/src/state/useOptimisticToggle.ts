/**
 * A checkbox list whose truth is in the URL. URL writes render as a transition (react-router),
 * so a controlled checkbox would snap back until the heavy ladder re-render commits; the
 * optimistic copy shows the user's click at once and yields to the URL when it lands.
 */
import { startTransition, useOptimistic } from 'react';

export function useOptimisticToggle<T>(hidden: readonly T[], onToggle: (value: T) => void): [readonly T[], (value: T) => void] {
  const [shown, toggleShown] = useOptimistic(hidden, (cur: readonly T[], v: T) => (cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v]));
  const toggle = (v: T) =>
    startTransition(() => {
      toggleShown(v);
      onToggle(v);
    });
  return [shown, toggle];
}
