/**
 * What a UDP payload is: a HEP packet (v1/v2/v3, decoded with the collector's decoder), a SIP
 * message (detected by its first line, on any port), or neither, with the reason.
 */
import { decodeHep } from '../hep/decode.ts';
import { ADDRESS_FAMILY, EEP3_MAGIC, HEP3_MAGIC } from '../hep/chunks.ts';
import type { HepRecord } from '../hep/types.ts';
import { isSipStart } from './sip-peek.ts';
import type { SkipReason } from './skip.ts';

export type Classified = { kind: 'sip' } | { kind: 'hep'; record: HepRecord } | { kind: 'skip'; reason: SkipReason };

/** Kamailio hep.h: hp_l = 8-byte hep_hdr + 8 (IPv4 addresses) or + 32 (IPv6 addresses). */
const HEP_LEGACY_HEADER_LENGTHS: ReadonlySet<number> = new Set([16, 40]);
const HEP_LEGACY_FAMILIES: ReadonlySet<number> = new Set(Object.values(ADDRESS_FAMILY));

const SIP: Classified = { kind: 'sip' };
const KEEPALIVE: Classified = { kind: 'skip', reason: 'keepalive' };
const NOT_SIP: Classified = { kind: 'skip', reason: 'not-sip' };

export function classifyPayload(buf: Buffer): Classified {
  if (isKeepalive(buf)) return KEEPALIVE;
  if (looksLikeHep(buf)) {
    const r = decodeHep(buf);
    return r.ok ? { kind: 'hep', record: r.record } : { kind: 'skip', reason: `hep-${r.reason}` };
  }
  return isSipStart(buf) ? SIP : NOT_SIP;
}

/** HEP3/EEP3 id, or a HEPv1/v2 header whose version, header length and family all fit. */
function looksLikeHep(buf: Buffer): boolean {
  if (buf.length < 4) return false;
  if (buf.compare(HEP3_MAGIC, 0, 4, 0, 4) === 0 || buf.compare(EEP3_MAGIC, 0, 4, 0, 4) === 0) return true;
  return (buf[0] === 1 || buf[0] === 2) && HEP_LEGACY_HEADER_LENGTHS.has(buf[1]) && HEP_LEGACY_FAMILIES.has(buf[2]);
}

/** Empty payloads and CRLF keep-alives (RFC 5626 §3.5.1: "\r\n\r\n" ping, "\r\n" pong); also a lone NUL (some UAs). */
function isKeepalive(buf: Buffer): boolean {
  if (buf.length > 4) return false;
  for (const b of buf) if (b !== 0x0d && b !== 0x0a && b !== 0x00) return false;
  return true;
}
