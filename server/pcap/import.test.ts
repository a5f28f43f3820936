import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noSharedFixtures, sharedFixture } from '../testing/shared-fixtures.ts';
import { importCapture, type IngestPort } from './import.ts';
import { NotCaptureError } from './reader.ts';
import { ethernet, ipv4, makeSip, pcapFile, pcapngFile, udp } from '../testing/pcap.ts';
import { tsharkCallIds, tsharkMissing } from './tshark.ts';


const callIdIn = (text: string) => /Call-ID: *(.*?)\r?\n/i.exec(text)?.[1] ?? null;

/** An ingest port that records what it is handed and answers Call-IDs as Ingest does. */
function recorder() {
  const sip: { callId: string | null; captureId: string; transport: string }[] = [];
  const hep: { peer: string; transport: string; bytes: number }[] = [];
  let flushes = 0;
  const port: IngestPort = {
    sip: (f) => {
      const callId = callIdIn(f.payload.toString());
      sip.push({ callId, captureId: f.captureId, transport: f.transport });
      return callId;
    },
    hepRecord: (packet, record, meta) => {
      hep.push({ peer: meta.peer, transport: meta.transport, bytes: packet.length });
      return callIdIn(record.payload.toString()) ?? record.correlationId;
    },
    flush: async () => void flushes++,
    settle: async () => void flushes++,
  };
  return { port, sip, hep, flushes: () => flushes };
}

async function* chunks(buf: Buffer, size: number) {
  for (let o = 0; o < buf.length; o += size) yield buf.subarray(o, o + size);
}

describe.skipIf(noSharedFixtures)('public sample captures', () => {
  it('finds the 81 SIP messages of sngrep-aaa.pcap, with the Call-IDs tshark finds', async () => {
    const file = sharedFixture('sngrep-aaa.pcap');
    const rec = recorder();
    const r = await importCapture(createReadStream(file, { highWaterMark: 4096 }), { ingest: rec.port, captureId: 'file:sngrep-aaa.pcap' });
    expect(r).toMatchObject({ format: 'pcap', packets: 691, sipMessages: 81, hepPackets: 0, calls: 6, stoppedAt: null });
    expect(rec.sip).toHaveLength(81);
    expect(new Set(rec.sip.map((s) => s.captureId))).toEqual(new Set(['file:sngrep-aaa.pcap']));
    if (tsharkMissing() === null) expect(rec.sip.map((s) => s.callId)).toEqual(tsharkCallIds(file));
  });

  it('finds the 8 HEPv3 packets of hep-wireshark-hep.pcap and hands them to ingest as HEP from the file', async () => {
    const rec = recorder();
    const r = await importCapture(createReadStream(sharedFixture('hep-wireshark-hep.pcap')), { ingest: rec.port, captureId: 'file:hep.pcap' });
    expect(r).toMatchObject({ packets: 8, hepPackets: 8, sipMessages: 0, calls: 1, callIds: ['qgf3dm9rudi@127.0.0.1'] });
    expect(rec.hep.map((h) => [h.peer, h.transport])).toEqual(Array(8).fill(['file:hep.pcap', 'file']));
  });
});

describe('importCapture', () => {
  const frame = (callId: string) => ethernet(ipv4({ src: '10.1.1.1', dst: '10.1.1.2', proto: 17, payload: udp(5060, 5060, Buffer.from(makeSip({ callId }))) }));

  it('reports the time range and the Call-IDs in order of first appearance', async () => {
    const file = pcapngFile({
      sections: [{ interfaces: [{ linkType: 1 }], packets: [{ ts: 2_000_000n, data: frame('b') }, { ts: 1_000_000n, data: frame('a') }, { ts: 3_000_000n, data: frame('b') }] }],
    });
    const r = await importCapture(chunks(file, 100), { ingest: recorder().port, captureId: 'file:x' });
    expect(r).toMatchObject({ format: 'pcapng', calls: 2, callIds: ['b', 'a'], timeRange: { from: 1_000_000, to: 3_000_000 } });
  });

  it('refuses a file that is not a capture before handing anything to ingest', async () => {
    const rec = recorder();
    const html = Buffer.from('<!DOCTYPE html>\n' + makeSip({ callId: 'inside-html' }));
    await expect(importCapture(chunks(html, 8), { ingest: rec.port, captureId: 'file:x' })).rejects.toThrow(NotCaptureError);
    expect(rec.sip.length + rec.hep.length + rec.flushes()).toBe(0);
  });

  it('imports what a truncated file holds and says where it stopped', async () => {
    const file = pcapFile({ linkType: 1, packets: ['a', 'b', 'c'].map((id, i) => ({ ts: 1e15 + i, data: frame(id) })) });
    const rec = recorder();
    const r = await importCapture(chunks(file.subarray(0, file.length - 20), 64), { ingest: rec.port, captureId: 'file:cut.pcap' });
    expect(rec.sip.map((s) => s.callId)).toEqual(['a', 'b']);
    expect(r.stoppedAt).toMatchObject({ packet: 3, reason: expect.stringMatching(/inside a packet record/) });
  });

  it('waits for ingest to flush every flushEvery messages, so memory stays bounded', async () => {
    const file = pcapFile({ linkType: 1, packets: Array.from({ length: 50 }, (_, i) => ({ ts: 1e15 + i, data: frame(`c${i}`) })) });
    const rec = recorder();
    await importCapture(chunks(file, 300), { ingest: rec.port, captureId: 'file:x', flushEvery: 10 });
    expect(rec.flushes()).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(noSharedFixtures)('reads a file from disk the same whatever the chunk size', async () => {
    const bytes = readFileSync(sharedFixture('sngrep-aaa.pcap'));
    const counts = [];
    for (const size of [1, 777, bytes.length]) counts.push((await importCapture(chunks(bytes, size), { ingest: recorder().port, captureId: 'f' })).sipMessages);
    expect(counts).toEqual([81, 81, 81]);
  });
});
