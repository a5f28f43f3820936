/** Where replayed HEP comes from besides the scenario library: a capture file, or a stored group. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { importCapture, type IngestPort } from '../pcap/import.ts';
import { openStore } from '../store/open.ts';
import { openSender, type SendOptions, type Target } from './sender.ts';
import type { Config } from '../config.ts';
import type { StoredMessage } from '../store/types.ts';

/** A stored message as the HEP3 packet a proxy would have sent for it. */
export function messageToHep(m: StoredMessage, captureId: number): Buffer {
  return encodeHep3({
    ipProtocol: m.transport === 'tcp' ? IP_PROTOCOL.tcp : IP_PROTOCOL.udp,
    srcIp: m.srcIp, dstIp: m.dstIp, srcPort: m.srcPort, dstPort: m.dstPort,
    tsSec: Math.floor(m.ts / 1e6), tsUsec: m.ts % 1e6,
    protoType: m.protoType || PROTO_TYPE.sip,
    captureId, correlationId: m.hepCorrelationId, payload: m.raw,
  });
}

export async function packetsFromStore(config: Config, id: string, captureId: number): Promise<Buffer[]> {
  const store = await openStore(config);
  try {
    const g = await store.getGroup(id);
    if (!g) throw new Error(`no call or correlation id "${id}" in ${config.store}`);
    return g.messages.map((m) => messageToHep(m, captureId));
  } finally {
    await store.close();
  }
}

/**
 * Sends a capture file's messages: HEP found in it as captured, SIP wrapped in HEP3. Streams: the
 * importer's periodic flush is where queued packets go out, so memory stays bounded.
 */
export async function replayCapture(path: string, target: Target, o: SendOptions & { captureId: number }): Promise<number> {
  const sender = await openSender(target, o);
  let queue: Buffer[] = [];
  const port: IngestPort = {
    hepRecord: (packet) => {
      queue.push(packet);
      return null; // calls are not counted when replaying
    },
    sip: (f) => {
      queue.push(encodeHep3({
        ipProtocol: f.transport === 'tcp' ? IP_PROTOCOL.tcp : IP_PROTOCOL.udp, srcIp: f.srcIp, dstIp: f.dstIp,
        srcPort: f.srcPort, dstPort: f.dstPort, tsSec: Math.floor(f.ts / 1e6), tsUsec: f.ts % 1e6,
        protoType: PROTO_TYPE.sip, captureId: o.captureId, payload: f.payload,
      }));
      return null;
    },
    async flush() {
      const out = queue;
      queue = [];
      for (const p of out) await sender.send(p);
    },
    settle() {
      return this.flush();
    },
  };
  try {
    await importCapture(createReadStream(path), { ingest: port, captureId: `file:${basename(path)}` });
    await port.flush();
  } finally {
    await sender.close();
  }
  return sender.sent;
}
