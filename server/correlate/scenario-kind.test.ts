/**
 * scenarioKind's decision order, rule by rule, on small groups. Every scenario of the library is
 * named through the real stores and API in testing/scenario-kind-suite.ts.
 */
import { describe, expect, it } from 'vitest';
import type { LinkRule } from './types.ts';
import { scenarioKind, type ScenarioCall, type ScenarioLink } from './scenario-kind.ts';

/** Call `callId` to `callee`, answered unless said otherwise. */
function call(callId: string, callee: string | null = 'bob', answered = true): ScenarioCall {
  return { callId, callee, answered };
}

function link(callId: string, rule: LinkRule, target: string, value = target): ScenarioLink {
  return { callId, rule, target, value };
}

describe('scenarioKind', () => {
  it('names a lone call, or calls tied by nothing it knows, basic', () => {
    expect(scenarioKind([call('c1')], [])).toBe('basic');
    expect(scenarioKind([call('c1'), call('c2')], [link('c2', 'join', 'c1')])).toBe('basic');
  });

  //  c1 Alice → Bob · c2 Alice → Carol (consultation) · REFER on c1 names c2 · c3 Bob → Carol Replaces c2
  it('names a REFER with Replaces an attended transfer, before the B2B links its legs also carry', () => {
    const links = [link('c1', 'refer-replaces', 'c2'), link('c3', 'replaces', 'c2'), link('c3', 'hep-correlation-id', 'c1')];
    expect(scenarioKind([call('c1'), call('c2', 'carol'), call('c3', 'carol')], links)).toBe('attended-transfer');
  });

  it('names a Replaces of an answered call an attended transfer when its REFER was not captured', () => {
    expect(scenarioKind([call('c2', 'carol'), call('c3', 'carol')], [link('c3', 'replaces', 'c2', 'c2;to-tag=a;from-tag=b')])).toBe('attended-transfer');
  });

  it('names a pickup by early-only, by a Replaces of a call never answered, or by a pickup feature code', () => {
    expect(scenarioKind([call('c1'), call('c2', 'alice')], [link('c2', 'replaces', 'c1', 'c1;to-tag=a;from-tag=b;early-only')])).toBe('pickup');
    expect(scenarioKind([call('c1', 'bob', false), call('c2', 'alice')], [link('c2', 'replaces', 'c1')])).toBe('pickup');
    expect(scenarioKind([call('c1', '*8')], [])).toBe('pickup');
    expect(scenarioKind([call('c1'), call('c2', '**201')], [link('c2', 'hep-correlation-id', 'c1')])).toBe('pickup');
  });

  //  c1 Alice → Bob · REFER to park+701 · c2 Alice → park+701 (blind) · c3 Carol → Alice Replaces c2 (answered)
  it('names a park by its orbit user, before the blind transfer and the Replaces that reach it', () => {
    const links = [link('c2', 'blind-transfer', 'c1'), link('c3', 'replaces', 'c2')];
    expect(scenarioKind([call('c1'), call('c2', 'park+701'), call('c3', 'alice')], links)).toBe('park');
    expect(scenarioKind([call('c1', 'unpark+701')], [])).toBe('park');
  });

  it('names a new call to a REFER\'s target a blind transfer', () => {
    expect(scenarioKind([call('c1'), call('c2', 'carol')], [link('c2', 'blind-transfer', 'c1')])).toBe('blind-transfer');
  });

  it('names History-Info, Diversion and 3xx redirects a forward, before B2B links', () => {
    for (const rule of ['history-info', 'diversion', 'redirect'] as const) {
      expect(scenarioKind([call('c1'), call('c2')], [link('c2', rule, 'c1'), link('c2', 'header', 'c1')]), rule).toBe('forward');
    }
  });

  it('names a later call to a media-server user a queue, but not a first call to one', () => {
    const links = [link('c2', 'hep-correlation-id', 'k'), link('c1', 'hep-correlation-id', 'k')];
    expect(scenarioKind([call('c1', 'support'), call('c2', 'queue-moh')], links)).toBe('queue');
    expect(scenarioKind([call('c1', 'voicemail'), call('c2', 'bob')], links)).toBe('b2b');
  });

  it('names two calls or more tied by a B2B link b2b, and one call with such a link basic', () => {
    for (const rule of ['hep-correlation-id', 'header', 'b2b-suffix', 'session-id', 'icid', 'user', 'inferred'] as const) {
      expect(scenarioKind([call('c1'), call('c2')], [link('c2', rule, 'c1')]), rule).toBe('b2b');
    }
    // The other leg's Call-ID named but never captured: nothing says what the group is.
    expect(scenarioKind([call('c1')], [link('c1', 'hep-correlation-id', 'other')])).toBe('basic');
  });
});
