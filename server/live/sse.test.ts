/** SSE frames, and a client that stops reading is dropped instead of buffered for (real HTTP on 127.0.0.1). */
import { createServer, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sseFrame, SseSink, type DropReason } from './sse.ts';

describe('sseFrame', () => {
  it('writes the fields in order and ends with a blank line', () => {
    expect(sseFrame({ event: 'change', id: 'ab-3', data: '{}' })).toBe('event: change\nid: ab-3\ndata: {}\n\n');
    expect(sseFrame({ retryMs: 1000, comment: 'hi' })).toBe(': hi\nretry: 1000\n\n');
  });

  it('keeps a comment on one line whatever it holds', () => {
    expect(sseFrame({ comment: 'a\r\nevent: evil' })).toBe(': a  event: evil\n\n');
  });
});

describe('SseSink', () => {
  it('drops a client that stops reading once its socket holds more than the bound', async () => {
    let sinkRes: ServerResponse | null = null;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sinkRes = res;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    // A raw client that sends its request and then never reads.
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`));
    sock.pause();
    await new Promise<void>((r) => { const t = setInterval(() => { if (sinkRes) { clearInterval(t); r(); } }, 5); });
    const drops: DropReason[] = [];
    const sink = new SseSink(sinkRes!, (reason) => drops.push(reason), { maxBufferedBytes: 64 * 1024 });
    const frame = sseFrame({ event: 'change', data: JSON.stringify('x'.repeat(16 * 1024)) });
    let written = 0;
    // The kernel's socket buffers take some megabytes first; the bound applies to what waits past them.
    while (sink.write(frame) && written < 200_000) {
      written++;
      if (written % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(drops).toEqual(['slow']);
    expect(sink.open).toBe(false);
    expect(sinkRes!.writableLength).toBeLessThan(64 * 1024 + 2 * frame.length);
    sock.destroy();
    await new Promise((r) => server.close(r));
  });
});

describe('SseSink, stalled', () => {
  it('drops a client whose socket stays full past the stall time, whatever the bytes waiting', async () => {
    let sinkRes: ServerResponse | null = null;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      sinkRes = res;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`));
    sock.pause();
    await new Promise<void>((r) => { const t = setInterval(() => { if (sinkRes) { clearInterval(t); r(); } }, 5); });
    const drops: DropReason[] = [];
    // A stall time of 0: the first write after the socket filled finds it stalled.
    const sink = new SseSink(sinkRes!, (reason) => drops.push(reason), { maxBufferedBytes: Number.MAX_SAFE_INTEGER, stallMs: 0 });
    const frame = sseFrame({ event: 'change', data: JSON.stringify('x'.repeat(16 * 1024)) });
    let written = 0;
    while (sink.write(frame) && written < 200_000) {
      written++;
      if (written % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(drops).toEqual(['stalled']);
    sock.destroy();
    await new Promise((r) => server.close(r));
  });
});
