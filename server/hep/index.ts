export * from './types.ts';
export * from './chunks.ts';
export { decodeHep } from './decode.ts';
export { encodeHep3, encodeHep2, encodeHep1, type HepLegacyEncodeInput } from './encode.ts';
export { HepStreamFramer, type FramerOutput, type FramerRejection } from './framing.ts';
export { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './inet.ts';
