/**
 * What a UDP payload is: a HEP packet (v1/v2/v3, decoded once, here, with the collector's decoder
 * and options), a SIP
 * message (detected by its first line, on any port), or neither, with the reason.
 */
import { decodeHep } from '../hep/decode.ts';
import { ADDRESS_FAMILY, EEP3_MAGIC, HEP3_MAGIC, HEP_LEGACY_HDR_LEN_IPV4, HEP_LEGACY_HDR_LEN_IPV6, HEP_LEGACY_VERSIONS } from '../hep/chunks.ts';
import type { DecodeOptions, HepRecord } from '../hep/types.ts';
import { isSipStart } from './sip-peek.ts';
import type { SkipReason } from './skip.ts';

export type Classified = { kind: 'sip' } | { kind: 'hep'; record: HepRecord } | { kind: 'skip'; reason: SkipReason };

const HEP_LEGACY_HEADER_LENGTHS: ReadonlySet<number> = new Set([HEP_LEGACY_HDR_LEN_IPV4, HEP_LEGACY_HDR_LEN_IPV6]);
const HEP_LEGACY_FAMILIES: ReadonlySet<number> = new Set(Object.values(ADDRESS_FAMILY));

const SIP: Classified = { kind: 'sip' };
const KEEPALIVE: Classified = { kind: 'skip', reason: 'keepalive' };
const NOT_SIP: Classified = { kind: 'skip', reason: 'not-sip' };

/** `hep`: the auth key and decompression bound the collector applies (none by default). */
export function classifyPayload(buf: Buffer, hep?: DecodeOptions): Classified {
  if (isKeepalive(buf)) return KEEPALIVE;
  if (looksLikeHep(buf)) {
    const r = decodeHep(buf, hep);
    return r.ok ? { kind: 'hep', record: r.record } : { kind: 'skip', reason: `hep-${r.reason}` };
  }
  return isSipStart(buf) ? SIP : NOT_SIP;
}

/** HEP3/EEP3 id, or a HEPv1/v2 header whose version, header length and family all fit. */
function looksLikeHep(buf: Buffer): boolean {
  const n = HEP3_MAGIC.length;
  if (buf.length < n) return false;
  if (buf.compare(HEP3_MAGIC, 0, n, 0, n) === 0 || buf.compare(EEP3_MAGIC, 0, n, 0, n) === 0) return true;
  return HEP_LEGACY_VERSIONS.has(buf[0]) && HEP_LEGACY_HEADER_LENGTHS.has(buf[1]) && HEP_LEGACY_FAMILIES.has(buf[2]);
}

/** Empty payloads and CRLF keep-alives (RFC 5626 §3.5.1: "\r\n\r\n" ping, "\r\n" pong); also a lone NUL (some UAs). */
function isKeepalive(buf: Buffer): boolean {
  if (buf.length > 4) return false;
  for (const b of buf) if (b !== 0x0d && b !== 0x0a && b !== 0x00) return false;
  return true;
}
