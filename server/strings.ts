/**
 * Strings kept long after the message they were read from. Pure.
 */

/**
 * `s` as a string of its own, holding nothing else alive. V8 cuts a substring as a view into
 * its parent (SlicedString) and joins strings as a pair pointing at both (ConsString): a Call-ID,
 * a branch or a key built from them, kept in a long-lived map or record, keeps the whole message
 * text alive, and on the SQLite writer the whole packed batch (~1 MB) it was unpacked from
 * (store/message-batch.ts). Map and Set keys too. A copy costs one short allocation: taken once
 * per record kept, not per message read.
 */
export function detached(s: string): string {
  // Concatenating makes a ConsString; slicing it flattens it into a fresh copy first.
  return (' ' + s).slice(1);
}
