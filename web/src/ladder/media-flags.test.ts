import { describe, expect, it } from 'vitest';
import { flagText, flagsByMessage } from './media-flags.ts';

const stream = (causes: { flag: string; messageId: string | null }[]) => ({ causes });

describe('flagsByMessage', () => {
  //  leg 0: INVITE m1 (private SDP), 200 m2 (codec not offered: both streams), RTCP m9 (no packets)
  it('lists each message\'s flags once, in stream order, and skips flags no message shows', () => {
    const byMessage = flagsByMessage([
      stream([{ flag: 'private-sdp', messageId: 'm1' }, { flag: 'codec-mismatch', messageId: 'm2' }]),
      stream([{ flag: 'no-rtcp', messageId: null }, { flag: 'no-packets', messageId: 'm9' }, { flag: 'codec-mismatch', messageId: 'm2' }]),
    ]);
    expect([...byMessage]).toEqual([['m1', ['private-sdp']], ['m2', ['codec-mismatch']], ['m9', ['no-packets']]]);
  });

  it('puts two flags of one message in one list (a re-INVITE that holds both ways: sendonly and recvonly)', () => {
    const byMessage = flagsByMessage([stream([{ flag: 'sendonly', messageId: 'm5' }]), stream([{ flag: 'inactive', messageId: 'm5' }])]);
    expect(byMessage.get('m5')).toEqual(['sendonly', 'inactive']);
  });

  it('answers an empty map for a group without media', () => {
    expect(flagsByMessage([]).size).toBe(0);
  });
});

describe('flagText', () => {
  it('says what each flag means, and shows an unknown one as it is', () => {
    expect(['no-packets', 'sendonly', 'codec-mismatch', 'future-flag'].map(flagText)).toEqual(['no packets', 'hold (sendonly)', 'codec not offered', 'future-flag']);
  });
});
