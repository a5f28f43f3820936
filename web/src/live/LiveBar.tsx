/** A line under the flow toolbar: whether the view is live, and which legs are calls in progress. */
import { useMemo } from 'react';
import type { FlowModel } from '../model/normalize.ts';
import type { LiveStatus } from './stream.ts';
import { legsInProgress } from './progress.ts';
import './LiveBar.css';

interface Props {
  status: LiveStatus;
  model: FlowModel;
}

export function LiveBar({ status, model }: Props) {
  const inProgress = useMemo(() => legsInProgress(model.messages), [model]);
  const legs = model.legs.filter((l) => inProgress.has(l.callId)).map((l) => l.index + 1);
  return (
    <div className="LiveBar" role="status" aria-live="polite" data-testid="live-bar" data-status={status} data-in-progress={legs.length}>
      <span className={`LiveBar--dot is-${status}`} aria-hidden="true" />
      <span className="LiveBar--status">{STATUS_TEXT[status]}</span>
      {legs.length > 0 && (
        <span className="LiveBar--progress" data-testid="in-progress">
          {legs.length === 1 ? 'Call in progress' : `${legs.length} calls in progress`} (leg {legs.join(', ')})
        </span>
      )}
    </div>
  );
}

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live: new messages appear as they arrive',
  reconnecting: 'Connection lost, reconnecting…',
};
