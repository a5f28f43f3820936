import { describe, expect, it } from 'vitest';
import { formatIpv6, parseIpv4, parseIpv6 } from './inet.ts';

const v6 = (text: string) => {
  const bytes = parseIpv6(text);
  if (!bytes) throw new Error(`${text} did not parse`);
  return formatIpv6(bytes);
};

describe('IPv6 text', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // RFC 5952 §4.2.2: one zero group stays
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // §4.2.3: the longest run is shortened
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: on a tie, the first
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // §5: IPv4-mapped keeps the dotted tail
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['fe80::', 'fe80::'],
  ])('%s is written %s', (input, expected) => {
    expect(v6(input)).toBe(expected);
  });

  it.each(['', ':', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', '::1.2.3'])(
    'refuses %j',
    (text) => {
      expect(parseIpv6(text)).toBeNull();
    },
  );
});

describe('IPv4 text', () => {
  it('parses a dotted quad and refuses anything else', () => {
    expect(parseIpv4('212.202.0.1')).toEqual(Buffer.of(212, 202, 0, 1));
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.x', '', '1..2.3']) {
      expect(parseIpv4(bad)).toBeNull();
    }
  });
});
