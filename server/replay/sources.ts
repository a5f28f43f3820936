/** Where replayed HEP comes from: a capture file, or a group of a store. */
import { encodeHep3 } from '../hep/encode.ts';
import { IP_PROTOCOL, PROTO_TYPE } from '../hep/chunks.ts';
import { openStore } from '../store/open.ts';
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
