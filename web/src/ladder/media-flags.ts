/**
 * The media flags of a group (server/media/streams.ts): what each says, and which messages show
 * them, so that a flag is marked on the SDP or RTCP row that caused it as well as in the media
 * panel. Pure: no DOM, no React.
 */

/** Flag → what the panel and the row say of it; an unknown flag is shown as it is. */
export const FLAG_TEXT: Readonly<Record<string, string>> = {
  'no-rtcp': 'no RTCP',
  'no-packets': 'no packets',
  sendonly: 'hold (sendonly)',
  recvonly: 'hold (recvonly)',
  inactive: 'inactive',
  'private-sdp': 'private SDP address',
  'codec-mismatch': 'codec not offered',
};

export function flagText(flag: string): string {
  return FLAG_TEXT[flag] ?? flag;
}

interface StreamLike {
  causes: readonly { flag: string; messageId: string | null }[];
}

/**
 * Message id → the flags it caused, each once, in the order of `media` and of each stream's
 * causes (a codec mismatch flags both streams of a leg from one answer). Each list is a fresh
 * array made once per `media`, so a memoized row receives the same one on every render.
 */
export function flagsByMessage(media: readonly StreamLike[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of media) {
    for (const c of s.causes) {
      if (c.messageId === null) continue;
      const list = out.get(c.messageId);
      if (!list) out.set(c.messageId, [c.flag]);
      else if (!list.includes(c.flag)) list.push(c.flag);
    }
  }
  return out;
}
