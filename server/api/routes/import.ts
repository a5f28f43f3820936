/**
 * POST /api/v1/import: a pcap / pcapng upload, streamed straight into the importer (the body is
 * never buffered), answered with what the file held so the web app can open the search on it.
 * Query: ?name=<file name> (the capture point becomes "file:<name>").
 */
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { ApiImport } from '../types.ts';
import { errorSchema, importAnswerSchema } from '../schemas.ts';
import { IMPORT_BODY_MAX_BYTES, IMPORT_NAME_MAX_CHARS } from '../../config.ts';
import { countGroups, importCapture, type CaptureImport } from '../../pcap/import.ts';
import { NotCaptureError } from '../../pcap/reader.ts';

/** Content types an upload may carry; '*' also takes a browser File with no type. */
const CAPTURE_TYPES = ['application/octet-stream', 'application/vnd.tcpdump.pcap', 'application/x-pcap', 'application/x-pcapng', '*'];

export default async function importRoutes(app: FastifyInstance, { store, ingest }: Pick<AppDeps, 'store' | 'ingest'>): Promise<void> {
  // Pass the raw request stream through: importCapture reads it chunk by chunk.
  app.addContentTypeParser(CAPTURE_TYPES, (_req, payload, done) => done(null, payload));

  app.post<{ Querystring: { name?: string } }>('/import', {
    config: { role: 'operator' },
    bodyLimit: IMPORT_BODY_MAX_BYTES,
    schema: { response: { 200: importAnswerSchema, 400: errorSchema, 503: errorSchema } },
  }, async (req, reply) => {
    const body = req.body as Readable | undefined;
    if (!body || typeof body.resume !== 'function') {
      return reply.code(400).send({ error: 'not-a-capture', message: 'empty upload: send the capture file as the request body' });
    }
    if (!ingest) {
      return reply.code(503).send({ error: 'no-collector', message: 'this process does not store messages (started with --no-collector)' });
    }
    const fileName = basename(req.query.name || 'upload').slice(0, IMPORT_NAME_MAX_CHARS);
    // The importer stops pulling at a corrupt record; the body must then stay open (not be
    // destroyed with the socket) so that the answer reaches the client: app.ts closes it after.
    let readWhole = false;
    async function* chunks() {
      for await (const chunk of body!.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
      readWhole = true;
    }
    let r: CaptureImport;
    try {
      r = await importCapture(chunks(), { ingest, captureId: `file:${fileName}` });
    } catch (err) {
      if (!(err instanceof NotCaptureError)) throw err;
      return reply.code(400).send({ error: 'not-a-capture', message: `${fileName}: ${err.message}` });
    }
    // Stopped before the end of the upload: a corrupt record, not a capture cut short at its end
    // (that one is answered with its summary and stoppedAt, as the CLI does).
    if (r.stoppedAt && !readWhole) {
      const { packet, offset, reason } = r.stoppedAt;
      return reply.code(400).send({
        error: 'corrupt-capture',
        message: `${fileName}: packet ${packet} at byte ${offset}: ${reason}; the ${packet - 1} packets before it were imported (${r.sipMessages + r.hepPackets} messages), the rest was not read`,
      });
    }
    const answer: ApiImport = {
      fileName, ...r,
      groups: await countGroups(store, r.callIds),
      groupsAtLeast: r.callsAtLeast || r.calls > r.callIds.length,
    };
    return answer;
  });
}
