/** GET /api/v1/messages/:id: one message with its raw text and parsed headers. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiMessageDetail } from '../types.ts';
import { loadGroupView } from '../group-view.ts';
import { parseSip } from '../../sip/parse.ts';
import { errorSchema, messageDetailSchema } from '../schemas.ts';

export default async function messagesRoutes(app: FastifyInstance, { store, config }: AppDeps): Promise<void> {
  app.get<{ Params: { id: string } }>('/messages/:id', {
    schema: { response: { 200: messageDetailSchema, 404: errorSchema } },
  }, async (req, reply) => {
    const stored = await store.getMessage(req.params.id);
    // The message as its group presents it: leg, capture points, retransmission flag.
    const view = stored && await loadGroupView(store, config, stored.callId);
    const shown = view?.messages.find((m) => m.id === stored!.id || m.duplicateIds.includes(stored!.id));
    if (!stored || !shown) return reply.code(404).send({ error: 'not-found', message: `no message "${req.params.id}"` });
    const sip = stored.protoType === 1 ? parseSip(stored.raw, { correlationHeaders: config.correlationHeaders }) : null;
    const detail: ApiMessageDetail = {
      ...shown,
      id: stored.id,
      ts: stored.ts,
      raw: stored.raw,
      headers: sip?.headers ?? [],
      sdp: sip?.sdp ?? null,
    };
    return detail;
  });
}
