/**
 * GET /api/v1/groups/:id/pcap and /groups/:id/text: the group's messages as a file.
 * ?ids=a,b,c keeps only those message ids (the web app's current filter).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app.ts';
import { errorSchema } from '../schemas.ts';
import { exportGroup, type ExportFormat } from '../../pcap/export.ts';

type Req = { Params: { id: string }; Querystring: { ids?: string } };

export default async function exportRoutes(app: FastifyInstance, { store }: Pick<AppDeps, 'store'>): Promise<void> {
  const send = async (format: ExportFormat, id: string, idsParam: string | undefined, reply: FastifyReply) => {
    const group = await store.getGroup(id);
    if (!group) return reply.code(404).send({ error: 'not-found', message: `no call or correlation id "${id}"` });
    const ids = idsParam ? idsParam.split(',').map((s) => s.trim()).filter(Boolean) : null;
    const file = exportGroup(group, format, ids);
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('x-hepflow-messages', String(file.messages))
      .send(file.body);
  };
  const schema = { response: { 404: errorSchema } };
  app.get<Req>('/groups/:id/pcap', { schema }, (req, reply) => send('pcap', req.params.id, req.query.ids, reply));
  app.get<Req>('/groups/:id/text', { schema }, (req, reply) => send('text', req.params.id, req.query.ids, reply));
}
