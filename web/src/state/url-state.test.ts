import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLOW_STATE, type FlowUrlState, flowHref, legsOffLadder, parseFlowState, serializeFlowState, toggleIn } from './url-state.ts';

describe('flow URL state', () => {
  it('serializes the default view to an empty query', () => {
    expect(serializeFlowState(DEFAULT_FLOW_STATE)).toBe('');
    expect(parseFlowState('')).toEqual(DEFAULT_FLOW_STATE);
  });

  it('round-trips every part of the view', () => {
    const s: FlowUrlState = {
      side: 'callee',
      pivot: '[2001:db8::1]:5060',
      hiddenLegs: ['abc@host', 'with,comma&amp=x'],
      hiddenColumns: ['10.0.0.9:5060'],
      grouping: 'alias',
      columnOrder: ['SBC', 'Main proxy', '10.0.0.3'],
      timeMode: 'delta-prev',
      timeZone: 'local',
      selected: ['m1', 'm2'],
      hiddenKinds: ['rtcp', 'log'],
      unlinkedLegs: ['b-leg@sbc'],
    };
    expect(parseFlowState(serializeFlowState(s))).toEqual(s);
  });

  it('round-trips arbitrary strings in every list', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), fc.array(text, { maxLength: 4 }), text, (legs, cols, pivot) => {
        const s = { ...DEFAULT_FLOW_STATE, hiddenLegs: legs, columnOrder: cols, pivot };
        expect(parseFlowState(serializeFlowState(s))).toEqual(s);
      }),
    );
  });

  it('ignores unknown values instead of failing', () => {
    const s = parseFlowState('side=sideways&group=planet&time=never&tz=mars&msg=a&msg=b&msg=c');
    expect(s.side).toBe('both');
    expect(s.grouping).toBe('ip:port');
    expect(s.timeMode).toBeNull();
    expect(s.timeZone).toBeNull();
    expect(s.selected).toEqual(['a', 'b']);
  });

  it('builds a flow link with the group id escaped', () => {
    expect(flowHref('a/b@c', { ...DEFAULT_FLOW_STATE, side: 'caller' })).toBe('/flow/a%2Fb%40c?side=caller');
  });

  it('toggleIn adds a missing value and removes a present one without changing its input', () => {
    const list = ['a'];
    expect(toggleIn(list, 'b')).toEqual(['a', 'b']);
    expect(toggleIn(list, 'a')).toEqual([]);
    expect(list).toEqual(['a']);
  });
});

describe('unlinked legs in the URL', () => {
  it('keeps unlinked legs in the share link, once each, apart from hidden legs', () => {
    const s = { ...DEFAULT_FLOW_STATE, hiddenLegs: ['a'], unlinkedLegs: ['b@host', 'c'] };
    expect(serializeFlowState(s)).toBe('hideLeg=a&unlink=b%40host&unlink=c');
    expect(parseFlowState('unlink=b&unlink=b&unlink=').unlinkedLegs).toEqual(['b']);
  });

  it('keeps hidden and unlinked legs off the ladder, each once', () => {
    expect(legsOffLadder({ hiddenLegs: ['a', 'b'], unlinkedLegs: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
    expect(legsOffLadder({ hiddenLegs: ['a'], unlinkedLegs: [] })).toEqual(['a']);
  });
});

describe('hidden item kinds in the URL', () => {
  it('keeps only known kinds, once each', () => {
    expect(parseFlowState('hideKind=rtcp&hideKind=bogus&hideKind=rtcp&hideKind=log').hiddenKinds).toEqual(['rtcp', 'log']);
  });
});
