/** The search list's live switch and state, and the "N new" button shown while scrolled away from the top. */
import type { LiveStatus } from './stream.ts';
import './SearchLive.css';

interface ToggleProps {
  status: LiveStatus | 'off';
  /** False when the range does not end now: nothing new can match. */
  possible: boolean;
  on: boolean;
  onChange(on: boolean): void;
}

export function LiveToggle({ status, possible, on, onChange }: ToggleProps) {
  return (
    <label className="SearchLive" title={possible ? 'Show new and changed calls as they arrive' : 'Live needs a time range that ends now'} data-testid="live-toggle" data-status={status}>
      <input type="checkbox" checked={on && possible} disabled={!possible} onChange={(e) => onChange(e.target.checked)} /> Live
      {status !== 'off' && <span className={`SearchLive--dot is-${status}`} aria-label={status} />}
    </label>
  );
}

export function NewRowsButton({ count, onClick }: { count: number; onClick(): void }) {
  if (count === 0) return null;
  return (
    <div className="SearchLive--anchor">
      <button type="button" className="SearchLive--new btn" onClick={onClick} data-testid="new-rows">
        ↑ {count} new
      </button>
    </div>
  );
}
