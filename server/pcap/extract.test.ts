import { describe, expect, it } from 'vitest';
import { encodeHep1, encodeHep2, encodeHep3 } from '../hep/encode.ts';
import { PacketExtractor, type WireMeta } from './extract.ts';
import { LINKTYPE } from './numbers.ts';
import {
  ethernet, gre, ipv4, ipv6, ipv6FragmentHeader, ipv6OptionsHeader, loopHeader, makeSip, sll, sll2, udp,
} from '../testing/pcap.ts';

const TS = 1_700_000_000_000_000;

/** Runs frames of one link type through an extractor; returns what came out. */
function extract(linkType: number, frames: Buffer[], ts = (i: number) => TS + i) {
  const sip: { text: string; meta: WireMeta }[] = [];
  const hep: { callId: string | null; version: number; meta: WireMeta }[] = [];
  const x = new PacketExtractor({
    sip: (payload, meta) => sip.push({ text: payload.toString(), meta }),
    hep: (_buf, record, meta) => hep.push({ callId: record.correlationId, version: record.version, meta }),
  });
  frames.forEach((data, i) => x.packet({ ts: ts(i), linkType, data, interfaceId: 0, origLen: data.length }));
  x.finish();
  return { sip, hep, skipped: x.skipped };
}

const SIP = makeSip({ callId: 'abc@host' });
const v4udp = (payload: string | Buffer = SIP, sport = 5060, dport = 5080) => ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: udp(sport, dport, Buffer.from(payload)) });
const v6udp = (payload = SIP) => ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 17, payload: udp(5060, 5060, Buffer.from(payload)) });

describe('link layers', () => {
  // Each row: link type, frame carrying the IPv4/UDP SIP packet.
  const cases: [string, number, Buffer][] = [
    ['Ethernet', LINKTYPE.ethernet, ethernet(v4udp())],
    ['Ethernet with an 802.1Q tag', LINKTYPE.ethernet, ethernet(v4udp(), { vlans: [[0x8100, 42]] })],
    ['Ethernet with QinQ tags (802.1ad outer, 802.1Q inner)', LINKTYPE.ethernet, ethernet(v4udp(), { vlans: [[0x88a8, 100], [0x8100, 42]] })],
    ['Linux cooked v1', LINKTYPE.linuxSll, sll(v4udp())],
    ['Linux cooked v2', LINKTYPE.linuxSll2, sll2(v4udp())],
    ['raw IP (101)', LINKTYPE.raw, v4udp()],
    ['raw IP (12)', LINKTYPE.rawBsd12, v4udp()],
    ['raw IP (14)', LINKTYPE.rawBsd14, v4udp()],
    ['raw IPv4 (228)', LINKTYPE.ipv4, v4udp()],
    ['BSD null, little-endian AF_INET', LINKTYPE.null, loopHeader(v4udp(), 2, true)],
    ['BSD null, big-endian AF_INET', LINKTYPE.null, loopHeader(v4udp(), 2, false)],
    ['OpenBSD loop', LINKTYPE.loop, loopHeader(v4udp(), 2, false)],
  ];
  for (const [name, linkType, frame] of cases) {
    it(`finds the SIP message in a ${name} frame`, () => {
      const { sip } = extract(linkType, [frame]);
      expect(sip).toHaveLength(1);
      expect(sip[0].text).toBe(SIP);
      expect(sip[0].meta).toEqual({ srcIp: '10.0.0.1', srcPort: 5060, dstIp: '10.0.0.2', dstPort: 5080, ts: TS, transport: 'udp' });
    });
  }

  const v6cases: [string, number, Buffer][] = [
    ['Ethernet', LINKTYPE.ethernet, ethernet(v6udp())],
    ['Linux cooked v2', LINKTYPE.linuxSll2, sll2(v6udp())],
    ['raw IPv6 (229)', LINKTYPE.ipv6, v6udp()],
    ['BSD null with FreeBSD AF_INET6 (28)', LINKTYPE.null, loopHeader(v6udp(), 28, true)],
    ['OpenBSD loop with AF_INET6 (24)', LINKTYPE.loop, loopHeader(v6udp(), 24, false)],
  ];
  for (const [name, linkType, frame] of v6cases) {
    it(`finds the SIP message over IPv6 in a ${name} frame`, () => {
      const { sip } = extract(linkType, [frame]);
      expect(sip.map((s) => [s.meta.srcIp, s.meta.dstIp])).toEqual([['2001:db8::1', '2001:db8::2']]);
    });
  }

  it('counts ARP frames, unknown link types and cut frames by reason', () => {
    const arp = ethernet(Buffer.alloc(28), { ethertype: 0x0806 });
    expect(extract(LINKTYPE.ethernet, [arp]).skipped).toEqual({ 'not-ip': 1 });
    expect(extract(105 /* 802.11 */, [v4udp()]).skipped).toEqual({ 'unsupported-link-type': 1 });
    expect(extract(LINKTYPE.ethernet, [ethernet(v4udp()).subarray(0, 30)]).skipped).toEqual({ 'short-frame': 1 });
  });

  it('ignores Ethernet padding after the IPv4 total length', () => {
    const frame = Buffer.concat([ethernet(v4udp()), Buffer.alloc(6)]);
    expect(extract(LINKTYPE.ethernet, [frame]).sip[0].text).toBe(SIP);
  });
});

describe('IPv6 extension headers', () => {
  it('walks hop-by-hop and destination options to the UDP payload', () => {
    const packet = ipv6({
      src: 'fe80::1', dst: 'fe80::2', next: 17, payload: udp(5060, 5060, Buffer.from(SIP)),
      ext: [{ type: 0, bytes: ipv6OptionsHeader(60) }, { type: 60, bytes: ipv6OptionsHeader(17) }],
    });
    expect(extract(LINKTYPE.raw, [packet]).sip.map((s) => s.meta.srcIp)).toEqual(['fe80::1']);
  });
});

describe('fragments', () => {
  /** The UDP datagram of a large SIP message cut into pieces of `size` bytes (a multiple of 8). */
  const big = makeSip({ callId: 'frag@host', body: 'v=0\r\n' + 'a=x-padding:'.padEnd(3000, 'z') + '\r\n' });
  const datagram = udp(5060, 5060, Buffer.from(big));
  const pieces = (size: number) => {
    const out: { offset: number; bytes: Buffer; more: boolean }[] = [];
    for (let o = 0; o < datagram.length; o += size) out.push({ offset: o, bytes: datagram.subarray(o, o + size), more: o + size < datagram.length });
    return out;
  };

  it('reassembles IPv4 fragments that arrive out of order', () => {
    const frags = pieces(1480).map((p) => ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 77, offset: p.offset, more: p.more, payload: p.bytes }));
    const { sip, skipped } = extract(LINKTYPE.raw, [frags[2], frags[0], frags[1]]);
    expect(sip.map((s) => s.text)).toEqual([big]);
    expect(skipped).toEqual({});
  });

  it('reassembles IPv6 fragment headers, with a destination-options header inside the fragmentable part', () => {
    const inner = Buffer.concat([ipv6OptionsHeader(17), datagram]);
    const parts: Buffer[] = [];
    for (let o = 0; o < inner.length; o += 1232) {
      const piece = inner.subarray(o, o + 1232);
      parts.push(ipv6({ src: '2001:db8::a', dst: '2001:db8::b', next: 44, payload: Buffer.concat([ipv6FragmentHeader(60, o, o + 1232 < inner.length, 0xabcdef), piece]) }));
    }
    const { sip } = extract(LINKTYPE.ipv6, parts.reverse());
    expect(sip.map((s) => [s.text, s.meta.srcIp])).toEqual([[big, '2001:db8::a']]);
  });

  it('drops a datagram whose missing fragment does not come within the timeout, counting its fragments', () => {
    const frags = pieces(1480).map((p) => ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, id: 5, offset: p.offset, more: p.more, payload: p.bytes }));
    // Fragment 0 at t=0, then fragments 1 and 2 a minute later: too late for the first.
    const { sip, skipped } = extract(LINKTYPE.raw, [frags[0], frags[1], frags[2]], (i) => TS + (i === 0 ? 0 : 60_000_000));
    expect(sip).toHaveLength(0);
    expect(skipped).toEqual({ 'fragment-expired': 1, 'fragment-incomplete': 2 });
  });
});

describe('tunnels', () => {
  it('unwraps IPv4-in-IPv4 (protocol 4)', () => {
    const outer = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 4, payload: v4udp() });
    expect(extract(LINKTYPE.ethernet, [ethernet(outer)]).sip.map((s) => s.meta.srcIp)).toEqual(['10.0.0.1']);
  });

  it('unwraps IPv6-in-IPv4 (protocol 41) and IPv4-in-IPv6', () => {
    const sixInFour = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 41, payload: v6udp() });
    const fourInSix = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 4, payload: v4udp() });
    expect(extract(LINKTYPE.raw, [sixInFour, fourInSix]).sip.map((s) => s.meta.srcIp)).toEqual(['2001:db8::1', '10.0.0.1']);
  });

  it('unwraps GRE carrying IP (with a key) and GRE carrying Ethernet', () => {
    const greIp = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 47, payload: gre(0x0800, v4udp(), 7) });
    const greEth = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 47, payload: gre(0x6558, ethernet(v4udp())) });
    expect(extract(LINKTYPE.raw, [greIp, greEth]).sip).toHaveLength(2);
  });

  it('refuses tunnels nested deeper than four layers', () => {
    let p = v4udp();
    for (let i = 0; i < 6; i++) p = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 4, payload: p });
    expect(extract(LINKTYPE.raw, [p]).skipped).toEqual({ 'tunnel-too-deep': 1 });
  });
});

describe('UDP payload classification', () => {
  it('finds SIP on any port by its first line, requests and responses alike', () => {
    const reply = makeSip({ callId: 'abc@host', status: 200 });
    const { sip } = extract(LINKTYPE.raw, [v4udp(SIP, 40000, 40002), v4udp(reply, 12345, 6000)]);
    expect(sip.map((s) => s.text.split('\r\n')[0])).toEqual(['INVITE sip:bob@example.com SIP/2.0', 'SIP/2.0 200 OK']);
  });

  it('skips keep-alives and non-SIP datagrams by reason, even on port 5060', () => {
    const { sip, skipped } = extract(LINKTYPE.raw, [
      v4udp('\r\n\r\n'),
      v4udp('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      v4udp('INVITE sip:bob SIP/3.0\r\n\r\n'),
      ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, payload: Buffer.alloc(8) }), // ICMP
    ]);
    expect(sip).toHaveLength(0);
    expect(skipped).toEqual({ keepalive: 1, 'not-sip': 2, 'other-ip-protocol': 1 });
  });

  it('decodes HEPv3, HEPv2 and HEPv1 packets carried in UDP', () => {
    const fields = { ipProtocol: 17, srcIp: '172.16.0.1', dstIp: '172.16.0.2', srcPort: 5060, dstPort: 5060, payload: SIP };
    const packets = [
      encodeHep3({ ...fields, tsSec: 1_700_000_000, tsUsec: 5, protoType: 1, correlationId: 'corr-1' }),
      encodeHep2({ ...fields, tsSec: 1_700_000_000, tsUsec: 5 }),
      encodeHep1(fields),
    ];
    const { hep, sip } = extract(LINKTYPE.raw, packets.map((p) => ipv4({ src: '127.0.0.1', dst: '127.0.0.1', proto: 17, payload: udp(40000, 9060, p) })));
    expect(sip).toHaveLength(0);
    expect(hep.map((h) => [h.version, h.callId, h.meta.dstPort])).toEqual([
      [3, 'corr-1', 9060],
      [2, null, 9060],
      [1, null, 9060],
    ]);
  });

  it('counts a HEP packet the decoder refuses under its rejection name', () => {
    const good = encodeHep3({ ipProtocol: 17, srcIp: '1.1.1.1', dstIp: '2.2.2.2', srcPort: 1, dstPort: 2, tsSec: 1, tsUsec: 0, protoType: 1, payload: SIP });
    const bad = Buffer.concat([good, Buffer.from('extra')]); // length field no longer matches
    expect(extract(LINKTYPE.raw, [v4udp(bad)]).skipped).toEqual({ 'hep-length-mismatch': 1 });
  });
});
