import { describe, expect, it } from 'vitest';
import { flowIdOf } from './early.ts';

describe('flowIdOf', () => {
  it('reads the id of a flow address, decoded as the router decodes it', () => {
    expect(flowIdOf('/flow/abc%40host')).toBe('abc@host');
    expect(flowIdOf('/flow/a%2Fb/')).toBe('a/b');
  });

  it('names no id for other pages or a malformed escape', () => {
    expect(flowIdOf('/')).toBeNull();
    expect(flowIdOf('/flow/')).toBeNull();
    expect(flowIdOf('/flow/a/b')).toBeNull();
    expect(flowIdOf('/flow/%E0%A4%A')).toBeNull();
  });
});
