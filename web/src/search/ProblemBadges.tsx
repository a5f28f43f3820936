/** A search row's problem codes as badges, each titled with its definition from the one table (server/kpi/codes.ts). Text only. */
import { problemDefinition } from '../model/problems.ts';
import './ProblemBadges.css';

export function ProblemBadges({ codes }: { codes: readonly string[] }) {
  return (
    <>
      {codes.map((code) => (
        <span key={code} className="ProblemBadges--badge" title={problemDefinition(code)}>
          {code}
        </span>
      ))}
    </>
  );
}
