import { describe, expect, it } from 'vitest';
import { DatagramBatchWriter, forEachDatagram } from './datagram-batch.ts';

function read(batch: ReturnType<DatagramBatchWriter['take']>) {
  const out: [string, string, number][] = [];
  forEachDatagram(batch, (d, peer, at) => { out.push([d.toString('latin1'), peer, at]); });
  return out;
}

describe('datagram batches', () => {
  it('give back every datagram with its sender and arrival time, through a structured clone', () => {
    const w = new DatagramBatchWriter(1024);
    expect(w.add(Buffer.from('HEP3one'), '10.0.0.1:5060', 1_700_000_000_000_001)).toBe(true);
    expect(w.add(Buffer.alloc(0), '[::1]:9', 2)).toBe(true);
    expect(w.add(Buffer.from('HEP3two'), '10.0.0.1:5060', 3)).toBe(true);
    const batch = w.take();
    expect(batch.peers).toEqual(['10.0.0.1:5060', '[::1]:9']); // each sender once
    expect(read(structuredClone(batch))).toEqual([
      ['HEP3one', '10.0.0.1:5060', 1_700_000_000_000_001], ['', '[::1]:9', 2], ['HEP3two', '10.0.0.1:5060', 3],
    ]);
  });

  it('refuses a datagram past its capacity, and starts empty after take()', () => {
    const w = new DatagramBatchWriter(16 + 10);
    expect(w.add(Buffer.alloc(10, 1), 'a:1', 0)).toBe(true);
    expect(w.add(Buffer.alloc(1), 'a:1', 0)).toBe(false);
    expect(read(w.take())).toHaveLength(1);
    expect(w.size).toBe(0);
    expect(w.add(Buffer.alloc(10, 2), 'b:2', 5)).toBe(true);
    expect(read(w.take())).toEqual([[Buffer.alloc(10, 2).toString('latin1'), 'b:2', 5]]);
  });

  it('keeps the taken batch intact while the writer goes on', () => {
    const w = new DatagramBatchWriter(256);
    w.add(Buffer.from('first'), 'a:1', 1);
    const batch = w.take();
    w.add(Buffer.from('XXXXX'), 'b:2', 2);
    expect(read(batch)).toEqual([['first', 'a:1', 1]]);
  });

  it('stops before the datagram its callback refuses, and goes on from there', () => {
    const w = new DatagramBatchWriter(1024);
    for (const text of ['one', 'two', 'three']) w.add(Buffer.from(text), 'a:1', 1);
    const batch = w.take();
    const seen: string[] = [];
    const at = forEachDatagram(batch, (d) => (d.toString() === 'two' ? false : void seen.push(d.toString())));
    expect(seen).toEqual(['one']);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(batch.bytes.byteLength);
    const end = forEachDatagram(batch, (d) => void seen.push(d.toString()), at);
    expect(seen).toEqual(['one', 'two', 'three']);
    expect(end).toBe(batch.bytes.byteLength);
  });
});
