/**
 * Branded units (Jaeger src/types/units.ts). The brand is optional, so a plain number literal is
 * accepted where a unit is expected, but two different units never mix without a cast.
 */
/** Microseconds since the Unix epoch (HEP3 chunks 0x0009 + 0x000a). */
export type EpochMicros = number & { readonly __unit?: 'EpochMicros' };
/** A duration in microseconds. */
export type Micros = number & { readonly __unit?: 'Micros' };
/** A duration in milliseconds. */
export type Millis = number & { readonly __unit?: 'Millis' };
/** A length in ladder world units, before the zoom transform. */
export type WorldPx = number & { readonly __unit?: 'WorldPx' };
/** A length in CSS pixels on screen, after the zoom transform. */
export type ScreenPx = number & { readonly __unit?: 'ScreenPx' };
