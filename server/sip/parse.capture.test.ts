/**
 * Parses the SIP found in the public sample captures (../shared/fixtures/public/README.md):
 * sngrep-aaa.pcap (plain SIP over UDP) and hep-wireshark-hep.pcap (SIP inside HEP3, bare LF).
 * Packets are pulled out with the pcap importer's reader and extractor, as `hepflow import` does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTO_TYPE } from '../hep/chunks.ts';
import { PacketExtractor } from '../pcap/extract.ts';
import { CaptureReader } from '../pcap/reader.ts';
import { parseSip, sipLabel } from './parse.ts';
import type { SipMessage } from './types.ts';
import { noSharedFixtures, sharedFixture } from '../testing/shared-fixtures.ts';

const OPTS = { correlationHeaders: ['X-CID'] };

/** Every SIP message of a capture file, plain or carried in HEP, parsed. */
function sipOf(file: string): SipMessage[] {
  const texts: string[] = [];
  const extractor = new PacketExtractor({
    sip: (payload) => texts.push(payload.toString('utf8')),
    hep: (_packet, record) => {
      if (record.protoType === PROTO_TYPE.sip) texts.push(record.payload.toString('utf8'));
    },
  });
  const reader = new CaptureReader((p) => extractor.packet(p));
  reader.push(readFileSync(sharedFixture(file)));
  reader.end();
  return texts.map((t) => parseSip(t, OPTS));
}

describe.skipIf(noSharedFixtures)('parseSip on the public sample captures', () => {
  it('reads all 81 SIP messages of sngrep-aaa.pcap with a Call-ID, CSeq and label each', () => {
    const msgs = sipOf('sngrep-aaa.pcap');
    expect(msgs).toHaveLength(81); // tshark -r sngrep-aaa.pcap -Y sip counts 81
    for (const m of msgs) {
      expect(m.callId).not.toBeNull();
      expect(m.cseq).not.toBeNull();
      expect(m.viaBranch).not.toBeNull();
      expect(sipLabel(m)).not.toBe('(malformed)');
    }
    const methods = new Set(msgs.map((m) => m.cseq?.method));
    for (const method of ['REGISTER', 'INVITE', 'CANCEL']) expect(methods).toContain(method);
    expect(msgs.flatMap((m) => m.problems)).toEqual([]);
  });

  it('reads the bare-LF SIP carried in hep-wireshark-hep.pcap, SDP included', () => {
    const msgs = sipOf('hep-wireshark-hep.pcap');
    expect(msgs.map(sipLabel).slice(0, 3)).toEqual(['INVITE', '100 Trying', '407 Proxy Authentication Required']);
    const inv = msgs[0];
    // hepgen declares Content-Length 287 but sends 276 octets: it counted CRLF and wrote LF.
    expect(inv.problems).toEqual(['content-length-mismatch']);
    expect(msgs.slice(1, 5).flatMap((m) => m.problems)).toEqual([]);
    expect(inv).toMatchObject({
      callId: 'qgf3dm9rudi@127.0.0.1',
      cseq: { num: 1, method: 'INVITE' },
      from: { tag: '2628881569', uri: { user: 'nodejs', host: '127.0.0.1' } },
      userAgent: 'HEPGEN-UAC',
      viaBranch: 'z9hG4bK9b82aa8fb4c7705466a3456dfff7f384333332',
    });
    // hepgen's SDP runs o= and s= together on one line; the parser skips what it cannot read.
    expect(inv.sdp).toEqual({
      connection: '127.126.124.123',
      media: [
        {
          type: 'audio',
          port: 5072,
          proto: 'RTP/AVP',
          formats: ['18', '0', '8', '101'],
          direction: 'sendrecv',
          connection: '127.126.124.123',
        },
      ],
    });
  });
});
