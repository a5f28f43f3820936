/**
 * MOS estimate with the E-model of ITU-T G.107 (narrowband, default values for everything a
 * capture cannot see: room noise, echo, sidetone). Pure.
 *
 *   R = Ro − Is − Id − Ie,eff + A, with Ro − Is = 93.2 (G.107 §7 defaults) and A = 0
 *   Id     = Idd (G.107 §7.3): 0 up to 100 ms one-way delay, then the formula below
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)   (G.107 §7.4, BurstR = 1: random loss)
 *   MOS    = 1 + 0.035 R + R (R − 60)(100 − R) · 7·10⁻⁶  for 0 < R < 100 (G.107 Annex B)
 */

/** G.107 defaults for Ro − Is: the R of a perfect narrowband connection. */
const R_DEFAULT = 93.2;

/** Equipment impairment Ie and packet-loss robustness Bpl per codec (G.113 Appendix I). */
export const CODEC_IMPAIRMENT: Readonly<Record<string, { ie: number; bpl: number }>> = {
  PCMU: { ie: 0, bpl: 25.1 }, // G.711 with packet loss concealment (Appendix I of G.711)
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 }, // wideband scale not modelled: counted as G.711
  G729: { ie: 11, bpl: 19 }, // G.729A + VAD
  G723: { ie: 15, bpl: 16.1 },
  GSM: { ie: 20, bpl: 10 }, // GSM-FR
};
/** Unknown codecs are counted as G.711 with PLC, the most common trunk codec. */
const DEFAULT_IMPAIRMENT = CODEC_IMPAIRMENT.PCMU;

/** Delay impairment Idd of G.107 §7.3 for a one-way delay `ta` (ms). */
export function delayImpairment(ta: number): number {
  if (ta <= 100) return 0;
  const x = Math.log10(ta / 100) / Math.log10(2);
  return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2);
}

/** Effective equipment impairment for `lossPercent` (0–100) random loss. */
export function lossImpairment(lossPercent: number, codec: string | null): number {
  const { ie, bpl } = (codec && CODEC_IMPAIRMENT[codec.toUpperCase()]) || DEFAULT_IMPAIRMENT;
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return ie + ((95 - ie) * ppl) / (ppl + bpl);
}

/** MOS (1–4.5) from an R value (G.107 Annex B). */
export function mosOfR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** Packetization assumed for the one-way delay when the SDP says none (ptime default 20 ms, RFC 3551 §4.5). */
const PACKET_MS = 20;

export interface EmodelInput {
  /** Loss over the report's interval, 0–1 (RTCP fraction lost, never the cumulative count). */
  fractionLost: number;
  /** Interarrival jitter, ms. */
  jitterMs: number;
  /** Round trip time, ms; null when unknown (counted as 0). */
  rttMs: number | null;
  codec: string | null;
}

/**
 * MOS estimate, rounded to 2 decimals. One-way delay = RTT/2 + a jitter buffer of twice the
 * jitter + one packet: the usual reading of RTCP figures into G.107's Ta.
 */
export function estimateMos(i: EmodelInput): number {
  const ta = (i.rttMs ?? 0) / 2 + 2 * i.jitterMs + PACKET_MS;
  const r = R_DEFAULT - delayImpairment(ta) - lossImpairment(i.fractionLost * 100, i.codec);
  return Math.round(mosOfR(r) * 100) / 100;
}
