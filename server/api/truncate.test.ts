import { describe, expect, it } from 'vitest';
import { cutUtf8 } from './truncate.ts';

describe('cutUtf8', () => {
  it('returns text that fits whole, with its UTF-8 size', () => {
    expect(cutUtf8('INVITE é', 9)).toEqual({ text: 'INVITE é', truncated: false, bytes: 9 });
  });

  it('cuts before a multi-byte character rather than inside it', () => {
    // "a" (1 byte), "é" (2), "大" (3), "😀" (4, a surrogate pair in UTF-16)
    const s = 'aé大😀';
    expect(cutUtf8(s, 1).text).toBe('a');
    expect(cutUtf8(s, 2).text).toBe('a');
    expect(cutUtf8(s, 3).text).toBe('aé');
    expect(cutUtf8(s, 5).text).toBe('aé');
    expect(cutUtf8(s, 6).text).toBe('aé大');
    expect(cutUtf8(s, 9).text).toBe('aé大');
    expect(cutUtf8(s, 10)).toEqual({ text: s, truncated: false, bytes: 10 });
    expect(cutUtf8(s, 9)).toMatchObject({ truncated: true, bytes: 10 });
  });

  it('never exceeds the bound for any cut of mixed text', () => {
    const s = 'Via: SIP/2.0/UDP x\r\nFrom: "Ünïcødé 大停電 😀" <sip:a@b>\r\n'.repeat(50);
    for (let max = 0; max < 300; max++) {
      const { text } = cutUtf8(s, max);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
      expect(s.startsWith(text)).toBe(true);
      expect(text).not.toContain('\ufffd');
    }
  });
});
