import { describe, expect, it } from 'vitest';
import { SchemaError, callPage, group, validate } from './schema.ts';

describe('response schemas', () => {
  it('accepts a well-formed call page', () => {
    const page = {
      items: [{ groupId: 'g', callIds: ['g'], correlationIds: [], start: 1, duration: 2, caller: 'a', callee: null, legs: 1, messages: 3, method: 'INVITE', status: 200 }],
      next: null,
    };
    expect(callPage(page, '$')).toBe(page);
  });

  it('names the path of the first wrong field', () => {
    const bad = { id: 'g', callIds: ['g'], correlationIds: [], legs: [], endpoints: [{ id: 'x', ip: 'x', port: '5060', alias: null }], messages: [] };
    expect(() => validate(group, bad)).toThrow(SchemaError);
    expect(() => validate(group, bad)).toThrow('$.endpoints[0].port');
  });

  it('refuses a non-object answer', () => {
    expect(() => validate(callPage, '<html>')).toThrow('expected object');
  });
});
