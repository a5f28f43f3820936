/** "/flow/:id": loads the group (any Call-ID or correlation id of it) and shows its ladder. */
import { Link, useLocation } from 'react-router-dom';
import { useGroupQuery } from '../api/queries.ts';
import { ApiRequestError } from '../api/client.ts';
import { flowIdOf } from '../api/early.ts';
import { FlowView } from './FlowView.tsx';
import { useLiveGroup } from '../live/useLiveGroup.ts';
import './FlowPage.css';

export function FlowPage() {
  // Read from the address as written, not from useParams: the router turns an encoded "%2F" back
  // into "/", so a Call-ID that contains the text "%2F" would open another id.
  const id = flowIdOf(useLocation().pathname) ?? '';
  const group = useGroupQuery(id);
  const live = useLiveGroup(id);
  if (group.isPending) {
    return (
      <p className="FlowPage--note" role="status">
        Loading {id}…
      </p>
    );
  }
  if (group.isError) {
    const notFound = group.error instanceof ApiRequestError && group.error.status === 404;
    return (
      <div className="FlowPage--note" role="alert">
        <p>{notFound ? `No call or correlation id "${id}" is stored.` : `Could not load the flow: ${group.error.message}`}</p>
        <Link to="/">Back to search</Link>
      </div>
    );
  }
  return <FlowView key={group.data.id} model={group.data} routeId={id} live={live} />;
}
