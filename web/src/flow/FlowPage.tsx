/** "/flow/:id": loads the group (any Call-ID or correlation id of it) and shows its ladder. */
import { Link, useParams } from 'react-router-dom';
import { useGroupQuery } from '../api/queries.ts';
import { ApiRequestError } from '../api/client.ts';
import { FlowView } from './FlowView.tsx';
import './FlowPage.css';

export function FlowPage() {
  const { id = '' } = useParams();
  const group = useGroupQuery(id);
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
  return <FlowView key={group.data.id} model={group.data} routeId={id} />;
}
