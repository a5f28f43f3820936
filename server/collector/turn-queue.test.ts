/**
 * A backlog fed one item a turn lets the event loop read a socket between items: a datagram
 * waiting on a real UDP socket is read after the first item, not after the whole backlog.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.ts';

/** Keeps this thread busy for `ms`, as feeding a batch of datagrams does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* the work */ }
}

describe('TurnQueue', () => {
  const sockets: dgram.Socket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  it('reads a waiting socket between items of a backlog, and feeds every item in order', async () => {
    const fed: number[] = [];
    const queue = new TurnQueue<number>((n) => {
      busy(2);
      fed.push(n);
    });
    const receiver = dgram.createSocket('udp4');
    const sender = dgram.createSocket('udp4');
    sockets.push(receiver, sender);
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', r));
    const readAfter = new Promise<number>((r) => receiver.once('message', () => r(fed.length)));
    // The datagram is in the receiver's buffer (loopback delivers it within the send) before the backlog starts.
    await new Promise<void>((r) => sender.send('x', receiver.address().port, '127.0.0.1', () => r()));
    for (let i = 0; i < 50; i++) queue.push(i);

    expect(await readAfter).toBeLessThan(5);
    await new Promise<void>((r) => { const check = () => (fed.length === 50 ? r() : setImmediate(check)); check(); });
    expect(fed).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('drain feeds what waits at once (a closing listener)', () => {
    const fed: string[] = [];
    const queue = new TurnQueue<string>((s) => { fed.push(s); });
    queue.push('a');
    queue.push('b');
    queue.drain();
    expect(fed).toEqual(['a', 'b']);
  });

  it('feeds a held item again, before the rest, once its promise settles; drain does not hold', async () => {
    const fed: string[] = [];
    let release!: () => void;
    const room = new Promise<void>((r) => { release = r; });
    let held = false;
    const queue = new TurnQueue<string>((s, draining) => {
      fed.push(draining ? `${s}!` : s);
      if (s === 'a' && !held) {
        held = true;
        return room;
      }
    });
    queue.push('a');
    queue.push('b');
    await new Promise((r) => setTimeout(r, 20));
    expect(fed).toEqual(['a']); // held: 'b' waits behind it
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(fed).toEqual(['a', 'a', 'b']);
    queue.push('c');
    queue.drain();
    expect(fed).toEqual(['a', 'a', 'b', 'c!']);
  });
});
