/**
 * The call problems of a group (server/kpi/codes.ts, FlowModel.problems) as marks on the rows of
 * the messages they name, as media-flags.ts marks media flags. Pure: no DOM, no React.
 */

/**
 * Message id → the problem codes it shows, each once, in the order of `problems`. Each list is a
 * fresh array made once per `problems`, so a memoized row receives the same one on every render.
 */
export function problemsByMessage(problems: readonly { code: string; messageId: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const list = out.get(p.messageId);
    if (!list) out.set(p.messageId, [p.code]);
    else if (!list.includes(p.code)) list.push(p.code);
  }
  return out;
}

/** " ⚑missing-ack, retransmissions": the mark after a row's label; null for no problem. */
export function problemMark(codes: readonly string[] | undefined): string | null {
  return codes?.length ? ` ⚑${codes.join(', ')}` : null;
}

/** The mark's hover text: each code with its definition (`define`: code → definition), one a line. */
export function problemTitle(codes: readonly string[], define: (code: string) => string): string {
  return codes.map((c) => `${c}: ${define(c)}`).join('\n');
}
