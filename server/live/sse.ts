/**
 * One Server-Sent Events response (WHATWG HTML §9.2), bounded: a client that stops reading is
 * dropped rather than buffered for. Frames are small and coalesced, so a socket holding more than
 * LIVE_MAX_BUFFERED_BYTES, or not drained for LIVE_STALL_MS, belongs to a stalled reader; its
 * EventSource reconnects and resumes from its last event id.
 */
import type { ServerResponse } from 'node:http';
import { LIVE_MAX_BUFFERED_BYTES, LIVE_STALL_MS } from '../config.ts';

export type DropReason = 'slow' | 'stalled';

/**
 * One SSE frame. `data` is JSON (one line); an id-only frame moves the client's last event id
 * without dispatching an event (an empty data buffer dispatches nothing, §9.2.6).
 */
export function sseFrame(f: { event?: string; id?: string; data?: string; retryMs?: number; comment?: string }): string {
  let out = '';
  if (f.comment !== undefined) out += `: ${f.comment.replace(/[\r\n]/g, ' ')}\n`;
  if (f.retryMs !== undefined) out += `retry: ${f.retryMs | 0}\n`;
  if (f.event !== undefined) out += `event: ${f.event}\n`;
  if (f.id !== undefined) out += `id: ${f.id}\n`;
  if (f.data !== undefined) out += `data: ${f.data}\n`;
  return out + '\n';
}

export interface SseLimits {
  maxBufferedBytes?: number;
  stallMs?: number;
}

export class SseSink {
  private closed = false;
  /** Date.now() when a write last found the socket full, 0 while it drains. */
  private fullSince = 0;
  private readonly maxBuffered: number;
  private readonly stallMs: number;

  constructor(private readonly res: ServerResponse, private readonly onDrop: (reason: DropReason) => void, limits: SseLimits = {}) {
    this.maxBuffered = limits.maxBufferedBytes ?? LIVE_MAX_BUFFERED_BYTES;
    this.stallMs = limits.stallMs ?? LIVE_STALL_MS;
    res.on('drain', () => { this.fullSince = 0; });
  }

  get open(): boolean {
    return !this.closed && !this.res.destroyed;
  }

  /** Writes a frame; false when the client is gone or was just dropped for not reading. */
  write(frame: string): boolean {
    if (!this.open) return false;
    if (this.check()) return false;
    if (!this.res.write(frame) && this.fullSince === 0) this.fullSince = Date.now();
    return this.check() === null;
  }

  /** Drops the client when it stopped reading; answers why, null when it is fine. */
  check(): DropReason | null {
    if (!this.open) return null;
    const reason: DropReason | null =
      this.res.writableLength > this.maxBuffered ? 'slow' : this.fullSince !== 0 && Date.now() - this.fullSince >= this.stallMs ? 'stalled' : null;
    if (reason) {
      this.closed = true;
      // destroy, not end: end() would wait behind the very bytes the client does not read.
      this.res.destroy();
      this.onDrop(reason);
    }
    return reason;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }
}
