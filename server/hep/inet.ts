/**
 * IP address text ↔ bytes, for the address chunks (HEP3 0x0003–0x0006) and the v1/v2 ip headers,
 * and the one way an address and port are carried and written in text.
 * Written here rather than taken from `node:net`, which the pure codec does not import.
 */

/** Where a message went on the wire: address text (IPv6 without brackets) and port. */
export interface WireAddress {
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

/** "ip:port", IPv6 in brackets (RFC 3986 §3.2.2 IP-literal; Homer writes hosts so too). */
export function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** "a.b.c.d" from 4 bytes. */
export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * RFC 5952 text from 16 bytes: lowercase hex, leading zeros dropped, the longest run (first on a
 * tie) of two or more zero groups written "::", and IPv4-mapped addresses as ::ffff:a.b.c.d (§5).
 */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);

  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return `::ffff:${formatIpv4(bytes.subarray(12, 16))}`;

  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** 4 bytes from "a.b.c.d" (decimal, each 0..255), or null when the text is not an IPv4 address. */
export function parseIpv4(text: string): Buffer | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/**
 * 16 bytes from any RFC 4291 §2.2 text form (with "::" and an optional trailing dotted IPv4),
 * or null when the text is not an IPv6 address. A zone ("%eth0") is refused: HEP has no room for it.
 */
export function parseIpv6(text: string): Buffer | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];

  const groups: number[] = [];
  const tailGroups: number[] = [];
  const pushAll = (parts: string[], into: number[], mayEndInIpv4: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (mayEndInIpv4 && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return false;
        into.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        into.push(parseInt(part, 16));
      } else {
        return false;
      }
    }
    return true;
  };
  if (!pushAll(head, groups, halves.length === 1)) return null;
  if (!pushAll(tail, tailGroups, true)) return null;

  if (halves.length === 1) {
    if (groups.length !== 8) return null;
  } else {
    const missing = 8 - groups.length - tailGroups.length;
    if (missing < 1) return null; // "::" stands for at least one zero group
    for (let i = 0; i < missing; i++) groups.push(0);
  }
  groups.push(...tailGroups);

  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
