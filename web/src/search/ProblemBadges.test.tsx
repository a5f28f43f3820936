import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ProblemBadges } from './ProblemBadges.tsx';
import { problemDefinition } from '../model/problems.ts';
import { PROBLEM_CODES } from '../../../server/kpi/codes.ts';

describe('problem badges', () => {
  it('title each code with its definition from the codes table', () => {
    const html = renderToStaticMarkup(<ProblemBadges codes={['missing-ack', 'glare-491']} />);
    expect(html).toBe(
      `<span class="ProblemBadges--badge" title="${PROBLEM_CODES['missing-ack']}">missing-ack</span>` +
        `<span class="ProblemBadges--badge" title="${PROBLEM_CODES['glare-491']}">glare-491</span>`,
    );
  });

  it('show a code this app does not know as text, escaped, titled with itself', () => {
    const html = renderToStaticMarkup(<ProblemBadges codes={['<img src=x onerror=alert(1)>']} />);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;</span>');
    expect(problemDefinition('toString')).toBe('toString');
  });
});
