/**
 * An answer sent before the request body was read whole (a refused or corrupt upload, 401, 403,
 * 413) must reach the client and end the request. Left alone, Node keeps the connection alive
 * with the body unread: the client, still uploading into a full TCP window, never reads the
 * answer and hangs until the keep-alive timeout (72 s). So such an answer says
 * `Connection: close`, and the rest of the body is read and dropped, bounded in bytes and time,
 * before the socket is closed: closing with unread bytes would send a reset that can discard the
 * answer before the client has read it.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DRAIN_MAX_BYTES, DRAIN_MAX_MS } from '../config.ts';


/** True while the request's body has not been received whole. */
export function bodyUnread(raw: IncomingMessage): boolean {
  return !raw.complete;
}

/** Reads and drops what remains of `raw`'s body, then closes its connection once a bound is reached. */
export function drainThenClose(raw: IncomingMessage, maxBytes = DRAIN_MAX_BYTES, maxMs = DRAIN_MAX_MS): void {
  // inject() (light-my-request) gives a request without a real socket: nothing to close then.
  const socket = raw.socket as Partial<Socket> | null;
  const close = () => {
    clearTimeout(timer);
    socket?.destroy?.();
  };
  const timer = setTimeout(close, maxMs);
  timer.unref();
  let dropped = 0;
  raw.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) close();
  });
  // The whole body came in: Node closes the connection itself, as Connection: close says.
  raw.on('end', () => clearTimeout(timer));
  raw.on('error', close);
  if (raw.destroyed) close();
  else raw.resume();
}

/** Registers the hooks that close a connection whose request body an answer left unread. */
export function closeUnreadBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (bodyUnread(req.raw)) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req) => {
    if (bodyUnread(req.raw)) drainThenClose(req.raw);
  });
}
