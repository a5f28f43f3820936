/**
 * Which PostgreSQL errors refuse a batch for its content: those are split (store/split.ts) rather
 * than retried whole, which would fail forever. Pure.
 */

/** SQLSTATE classes about the data sent: 22 data exception, 54 program limit exceeded (PostgreSQL docs, Appendix A). */
const CONTENT_CLASSES = new Set(['22', '54']);

/** Condition names (Appendix A) of the content faults a SIP capture can meet, used as metric labels. */
const NAMES: Record<string, string> = {
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire', // U+0000 in text, invalid UTF-8
  '22P02': 'invalid_text_representation',
  '22P05': 'untranslatable_character',
  '54000': 'program_limit_exceeded', // e.g. an index row over btree's 2704-byte limit
};

/** The condition name when `err` is a PostgreSQL error about the content sent, else null. */
export function contentFault(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.length !== 5 || !CONTENT_CLASSES.has(code.slice(0, 2))) return null;
  return NAMES[code] ?? `sqlstate_${code.toLowerCase()}`;
}
