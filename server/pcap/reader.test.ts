import { describe, expect, it } from 'vitest';
import { CaptureReader, NotCaptureError, type CapturePacket } from './reader.ts';
import { pcapFile, pcapngFile } from '../testing/pcap.ts';

/** Feeds `file` in chunks of `size` bytes; returns the packets and where reading stopped. */
function read(file: Buffer, size = file.length) {
  const packets: CapturePacket[] = [];
  const r = new CaptureReader((p) => packets.push({ ...p, data: Buffer.from(p.data) }));
  for (let o = 0; o < file.length; o += size) r.push(file.subarray(o, o + size));
  const stop = r.end();
  return { packets, stop, format: r.format };
}

const A = Buffer.from('first packet');
const B = Buffer.from('second, longer packet');
const T1 = 1_700_000_000_123_456; // µs
const T2 = 1_700_000_001_000_001;

describe('classic pcap', () => {
  for (const bigEndian of [false, true]) {
    for (const nano of [false, true]) {
      it(`reads records of a ${bigEndian ? 'big' : 'little'}-endian ${nano ? 'nanosecond' : 'microsecond'} file with their times in µs`, () => {
        const file = pcapFile({ linkType: 1, bigEndian, nano, packets: [{ ts: T1, data: A }, { ts: T2, data: B }] });
        const { packets, stop, format } = read(file);
        expect(format).toBe('pcap');
        expect(stop).toBeNull();
        expect(packets.map((p) => [p.ts, p.linkType, p.data.toString(), p.interfaceId])).toEqual([
          [T1, 1, 'first packet', 0],
          [T2, 1, 'second, longer packet', 0],
        ]);
      });
    }
  }

  it('reads the same packets when the file arrives one byte at a time', () => {
    const file = pcapFile({ linkType: 101, packets: [{ ts: T1, data: A }, { ts: T2, data: B }] });
    expect(read(file, 1).packets.map((p) => p.data.toString())).toEqual(['first packet', 'second, longer packet']);
  });

  it('keeps the original length of a packet cut by the snap length', () => {
    const file = pcapFile({ linkType: 1, packets: [{ ts: T1, data: A, origLen: 1500 }] });
    expect(read(file).packets[0].origLen).toBe(1500);
  });

  it('returns what was readable and where a truncated file stopped', () => {
    const file = pcapFile({ linkType: 1, packets: [{ ts: T1, data: A }, { ts: T2, data: B }] });
    // header 24 + record 1 (16 + 12) = 52: the second record starts at byte 52.
    const { packets, stop } = read(file.subarray(0, file.length - 5), 7);
    expect(packets).toHaveLength(1);
    expect(stop).toMatchObject({ offset: 52, packet: 2 });
    expect(stop!.reason).toMatch(/file ends inside a packet record/);
  });

  it('stops at a record whose length field is not credible and says where', () => {
    const file = pcapFile({ linkType: 1, packets: [{ ts: T1, data: A }, { ts: T2, data: B }] });
    file.writeUInt32LE(0x7fffffff, 52 + 8); // incl_len of record 2
    const { packets, stop } = read(file);
    expect(packets).toHaveLength(1);
    expect(stop).toMatchObject({ offset: 52, packet: 2 });
    expect(stop!.reason).toMatch(/corrupt packet record/);
  });

  it('reports a file cut inside its header as truncated, not as a non-capture', () => {
    const file = pcapFile({ linkType: 1, packets: [] }).subarray(0, 10);
    expect(read(file).stop).toMatchObject({ offset: 0, packet: 1, reason: expect.stringMatching(/file header/) });
  });
});

describe('pcapng', () => {
  for (const bigEndian of [false, true]) {
    it(`reads a ${bigEndian ? 'big' : 'little'}-endian section with two interfaces of their own link type and resolution`, () => {
      const file = pcapngFile({
        bigEndian,
        sections: [
          {
            interfaces: [{ linkType: 1 }, { linkType: 113, tsresol: 9 }],
            extraBlocks: 2,
            packets: [
              { iface: 0, ts: BigInt(T1), data: A }, // µs units
              { iface: 1, ts: BigInt(T2) * 1000n + 999n, data: B }, // ns units: 999 ns round down
            ],
          },
        ],
      });
      const { packets, stop, format } = read(file, 13);
      expect(format).toBe('pcapng');
      expect(stop).toBeNull();
      expect(packets.map((p) => [p.ts, p.linkType, p.interfaceId, p.data.toString()])).toEqual([
        [T1, 1, 0, 'first packet'],
        [T2, 113, 1, 'second, longer packet'],
      ]);
    });
  }

  it('reads a power-of-two resolution (if_tsresol with the high bit set)', () => {
    // 2^-10 s units: 1024 units = 1 s.
    const file = pcapngFile({ sections: [{ interfaces: [{ linkType: 1, tsresol: 0x80 | 10 }], packets: [{ ts: 1024n * 5n + 512n, data: A }] }] });
    expect(read(file).packets[0].ts).toBe(5_500_000);
  });

  it('starts afresh at each section, whose interfaces and byte order are its own', () => {
    const le = pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], packets: [{ ts: BigInt(T1), data: A }] }] });
    const be = pcapngFile({ bigEndian: true, sections: [{ interfaces: [{ linkType: 228 }], packets: [{ ts: BigInt(T2), data: B }] }] });
    const { packets, stop } = read(Buffer.concat([le, be]), 50);
    expect(stop).toBeNull();
    expect(packets.map((p) => [p.linkType, p.ts])).toEqual([
      [1, T1],
      [228, T2],
    ]);
  });

  it('reads simple packet blocks on interface 0, cut to the snap length, with the last seen time', () => {
    const file = pcapngFile({
      sections: [{ interfaces: [{ linkType: 101, snaplen: 5 }], packets: [{ ts: BigInt(T1), data: A }, { ts: 0, data: B, simple: true }] }],
    });
    const { packets } = read(file);
    expect(packets[1]).toMatchObject({ ts: T1, linkType: 101, interfaceId: 0, origLen: B.length });
    expect(packets[1].data.toString()).toBe('secon');
  });

  it('stops at a block whose trailing length disagrees, keeping the packets before it', () => {
    const file = pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], packets: [{ ts: BigInt(T1), data: A }, { ts: BigInt(T2), data: B }] }] });
    file.writeUInt32LE(0xdead, file.length - 4);
    const { packets, stop } = read(file);
    expect(packets).toHaveLength(1);
    expect(stop).toMatchObject({ packet: 2, reason: expect.stringMatching(/trailing length/) });
  });

  it('stops at a packet that names an interface the section never declared', () => {
    const file = pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], packets: [{ iface: 3, ts: 1n, data: A }] }] });
    expect(read(file).stop!.reason).toMatch(/interface 3/);
  });

  it('reports a file cut inside a block as truncated at that block', () => {
    const file = pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], packets: [{ ts: BigInt(T1), data: A }, { ts: BigInt(T2), data: B }] }] });
    const cut = file.subarray(0, file.length - 3);
    const { packets, stop } = read(cut);
    expect(packets).toHaveLength(1);
    // SHB 28 + IDB 20 + EPB(12 bytes data) 44 = 92: the second EPB starts at 92.
    expect(stop).toMatchObject({ offset: 92, packet: 2, reason: expect.stringMatching(/inside a block/) });
  });
});

describe('files that are not captures', () => {
  it('refuses them from the first bytes, naming those bytes', () => {
    const r = new CaptureReader(() => {});
    expect(() => r.push(Buffer.from('<!DOCTYPE html><html>'))).toThrow(NotCaptureError);
    expect(() => new CaptureReader(() => {}).push(Buffer.from('<!DOCTYPE html>'))).toThrow(
      'not a pcap or pcapng file: first bytes 3c 21 44 4f 43 54 59 50 ("<!DOCTYP")',
    );
  });

  it('refuses an empty file and a file shorter than a magic number', () => {
    expect(() => new CaptureReader(() => {}).end()).toThrow('not a pcap or pcapng file: it is empty');
    const r = new CaptureReader(() => {});
    r.push(Buffer.from([0xd4, 0xc3]));
    expect(() => r.end()).toThrow(/first bytes d4 c3/);
  });
});
