/**
 * GET /api/v1/messages/:id: one message with its raw text (cut to MAX_DETAIL_RAW_BYTES) and parsed
 * headers; GET /api/v1/messages/:id/raw: the whole raw message as a text file.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiMessageDetail } from '../types.ts';
import { MAX_DETAIL_RAW_BYTES } from '../../config.ts';
import { loadGroupView } from '../group-view.ts';
import { cutUtf8 } from '../truncate.ts';
import { parseSip } from '../../sip/parse.ts';
import { PROTO_TYPE } from '../../hep/chunks.ts';
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
    // Headers and SDP are read from the text sent, so that they too stay within the bound.
    const raw = cutUtf8(stored.raw, MAX_DETAIL_RAW_BYTES);
    const sip = stored.protoType === PROTO_TYPE.sip ? parseSip(raw.text, { correlationHeaders: config.correlationHeaders }) : null;
    const detail: ApiMessageDetail = {
      ...shown,
      id: stored.id,
      ts: stored.ts,
      raw: raw.text,
      truncated: raw.truncated,
      rawBytes: raw.bytes,
      headers: sip?.headers ?? [],
      sdp: sip?.sdp ?? null,
    };
    return detail;
  });
  app.get<{ Params: { id: string } }>('/messages/:id/raw', {
    schema: { response: { 404: errorSchema } },
  }, async (req, reply) => {
    const stored = await store.getMessage(req.params.id);
    if (!stored) return reply.code(404).send({ error: 'not-found', message: `no message "${req.params.id}"` });
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${rawFileName(stored.id)}"`)
      .send(stored.raw);
  });
}

/** "message-<id>.txt" with only filename-safe characters (the id is ours, but keep the header clean). */
function rawFileName(id: string): string {
  return `message-${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}.txt`;
}
