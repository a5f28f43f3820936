/**
 * Datagrams with their sender and arrival time, packed into one byte array for the trip from the
 * UDP receiving thread to the ingest thread (one message every few milliseconds instead of one a packet).
 * Pure. Layout per datagram: u32 length, u16 peer index, u16 zero, f64 arrival (µs), bytes.
 */

const HEADER_BYTES = 16;

/**
 * Slots of the Int32Array the receiving and ingest threads share: bytes handed over and not yet
 * ingested (the ingest thread lowers it and notifies), and a flag the ingest thread sets on close.
 */
export const IN_FLIGHT = 0;
export const CLOSING = 1;

export interface DatagramBatch {
  bytes: Uint8Array;
  /** "ip:port" of the senders, indexed from each datagram's header. */
  peers: string[];
}

export class DatagramBatchWriter {
  private buf: Buffer;
  private used = 0;
  private peers: string[] = [];
  private peerIndex = new Map<string, number>();

  constructor(private readonly capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get size(): number {
    return this.used;
  }

  /** False when the datagram does not fit: take() the batch first. */
  add(datagram: Uint8Array, peer: string, receivedAt: number): boolean {
    if (this.used + HEADER_BYTES + datagram.length > this.capacity) return false;
    let index = this.peerIndex.get(peer);
    if (index === undefined) {
      index = this.peers.push(peer) - 1;
      this.peerIndex.set(peer, index);
    }
    const at = this.used;
    this.buf.writeUInt32LE(datagram.length, at);
    this.buf.writeUInt16LE(index, at + 4);
    this.buf.writeUInt16LE(0, at + 6);
    this.buf.writeDoubleLE(receivedAt, at + 8);
    this.buf.set(datagram, at + HEADER_BYTES);
    this.used = at + HEADER_BYTES + datagram.length;
    return true;
  }

  /** The batch so far, in a buffer of its own (transferable), and a fresh start. */
  take(): DatagramBatch {
    const batch = { bytes: new Uint8Array(this.buf.subarray(0, this.used)), peers: this.peers };
    this.used = 0;
    this.peers = [];
    this.peerIndex = new Map();
    return batch;
  }
}

/**
 * Calls `each` with the datagrams of a batch, in order, from byte offset `from` (0, or what an
 * earlier call answered). The datagram is a view into the batch. `each` answers false to stop
 * before that datagram: the answer is then its offset, to go on from; else the batch's length.
 */
export function forEachDatagram(batch: DatagramBatch, each: (datagram: Buffer, peer: string, receivedAt: number) => boolean | void,
  from = 0): number {
  const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  let at = from;
  while (at + HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32LE(at);
    const start = at + HEADER_BYTES;
    if (each(buf.subarray(start, start + length), batch.peers[buf.readUInt16LE(at + 4)], buf.readDoubleLE(at + 8)) === false) return at;
    at = start + length;
  }
  return buf.length;
}
