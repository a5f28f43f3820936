import { describe, expect, it } from 'vitest';
import { checkCorrelationRules, compileRules, ruleValue } from './user-rules.ts';

const check = (v: unknown) => () => checkCorrelationRules(v, 'config file x.json');

describe('checkCorrelationRules', () => {
  it('accepts header rules and Call-ID rules, with or without a regex', () => {
    expect(checkCorrelationRules([{ name: 'hdap', header: ' X-HDAP-TraceId ' }, { name: 'core', callId: true, regex: '^(\\w+)-leg\\d$' }], 'f'))
      .toEqual([{ name: 'hdap', header: 'X-HDAP-TraceId' }, { name: 'core', callId: true, regex: '^(\\w+)-leg\\d$' }]);
    expect(checkCorrelationRules([], 'f')).toEqual([]);
  });

  it('names the file, the rule and the fault for each bad rule', () => {
    expect(check({ name: 'x' })).toThrow('config file x.json: correlationRules must be a list of rules');
    expect(check(['hdap'])).toThrow('correlationRules[0] must be an object');
    expect(check([{ header: 'X-A' }])).toThrow('correlationRules[0]: "name" must be a non-empty string');
    expect(check([{ name: 'a', header: 'X-A' }, { name: 'a', header: 'X-B' }])).toThrow('correlationRules[1]: duplicate rule name "a"');
    expect(check([{ name: 'a' }])).toThrow('correlationRules[0] ("a"): give either "header" or "callId": true');
    expect(check([{ name: 'a', header: 'X-A', callId: true }])).toThrow('give either "header" or "callId": true');
    expect(check([{ name: 'a', header: 'X A:' }])).toThrow('"header" must be a header name');
    expect(check([{ name: 'a', header: 'X-A', regex: '([a-z' }])).toThrow('correlationRules[0] ("a"): bad regex "([a-z"');
    expect(check([{ name: 'a', callId: true, regex: '^\\w+-leg$' }])).toThrow('has no capture group');
    expect(check([{ name: 'a', callId: true, regex: '^(?:\\w+)-leg$' }])).toThrow('has no capture group');
    expect(check([{ name: 'a', header: 'X-A', rgx: 'x' }])).toThrow('unknown field(s) rgx');
  });
});

describe('ruleValue', () => {
  const [whole, regex] = compileRules([{ name: 'w', header: 'X-A' }, { name: 'r', callId: true, regex: '^(\\w+)-leg\\d$' }]);

  it('takes the trimmed value without a regex, capture group 1 with one', () => {
    expect(whole.header).toBe('x-a');
    expect(ruleValue(whole, '  v1 ')).toBe('v1');
    expect(ruleValue(regex, 'core-leg1')).toBe('core');
  });

  it('gives null for no match, an empty value or an empty capture', () => {
    expect(ruleValue(regex, 'core-legX')).toBeNull();
    expect(ruleValue(whole, '  ')).toBeNull();
    expect(ruleValue(compileRules([{ name: 'e', callId: true, regex: '^(x*)-' }])[0], '-a')).toBeNull();
  });
});
