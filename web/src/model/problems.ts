/** Problem codes as the app words them: the one table of server/kpi/codes.ts. */
import { PROBLEM_CODES } from '../../../server/kpi/codes.ts';

/** The definition of a problem code; the code itself when this app does not know it (a newer server). */
export function problemDefinition(code: string): string {
  return Object.hasOwn(PROBLEM_CODES, code) ? PROBLEM_CODES[code as keyof typeof PROBLEM_CODES] : code;
}
