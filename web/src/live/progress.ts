/**
 * Which legs of a group are calls in progress: an INVITE dialog being set up (no final answer
 * yet) or established (2xx, no BYE yet), RFC 3261 §13 and §15. Pure; walks the messages in the
 * group's order. A re-INVITE on an established call keeps it established.
 */
export interface ProgressMessage {
  callId: string;
  method: string | null;
  status: number | null;
  /** "314159 INVITE" */
  cseq: string | null;
}

type State = 'setup' | 'up' | 'ended';

/** Call-IDs whose INVITE dialog is being set up or is up after the last message. */
export function legsInProgress(messages: readonly ProgressMessage[]): Set<string> {
  const state = new Map<string, State>();
  for (const m of messages) {
    const s = state.get(m.callId);
    if (m.method === 'INVITE') {
      if (s !== 'up') state.set(m.callId, 'setup');
    } else if (m.method === 'BYE' || m.method === 'CANCEL') {
      if (s) state.set(m.callId, 'ended');
    } else if (m.status !== null && m.status >= 200 && cseqMethod(m.cseq) === 'INVITE' && s === 'setup') {
      state.set(m.callId, m.status < 300 ? 'up' : 'ended');
    }
  }
  const out = new Set<string>();
  for (const [callId, s] of state) if (s !== 'ended') out.add(callId);
  return out;
}

function cseqMethod(cseq: string | null): string | null {
  if (!cseq) return null;
  const sp = cseq.trim().lastIndexOf(' ');
  return sp < 0 ? null : cseq.trim().slice(sp + 1).toUpperCase();
}
