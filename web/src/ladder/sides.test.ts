import { describe, expect, it } from 'vitest';
import { computeSides, defaultPivot, legPath, sideVisible, type SideMessage } from './sides.ts';

/** A message on leg `leg` from `src` to `dst`; a method makes it a request, none a response. */
function msg(leg: number, src: string, dst: string, method: string | null = null): SideMessage {
  return { leg, src, dst, method };
}

describe('legPath', () => {
  it('follows the initial INVITE hop by hop through a proxy chain', () => {
    //  A --INVITE--> P1 --INVITE--> P2 --INVITE--> B, with a 100 in between
    const leg = [msg(0, 'A', 'P1', 'INVITE'), msg(0, 'P1', 'A'), msg(0, 'P1', 'P2', 'INVITE'), msg(0, 'P2', 'B', 'INVITE')];
    expect(legPath(leg)).toEqual(['A', 'P1', 'P2', 'B']);
  });

  it('goes on after a 407 challenge with the re-sent INVITE', () => {
    //  A -INVITE(1)-> P, P -407-> A, A -INVITE(2)-> P -INVITE(2)-> B
    const leg = [
      msg(0, 'A', 'P', 'INVITE'),
      msg(0, 'P', 'A'),
      msg(0, 'A', 'P', 'ACK'),
      msg(0, 'A', 'P', 'INVITE'),
      msg(0, 'P', 'B', 'INVITE'),
    ];
    expect(legPath(leg)).toEqual(['A', 'P', 'B']);
  });

  it('ignores a re-INVITE sent back by the callee', () => {
    const leg = [msg(0, 'A', 'P', 'INVITE'), msg(0, 'P', 'B', 'INVITE'), msg(0, 'B', 'P', 'INVITE'), msg(0, 'P', 'A', 'INVITE')];
    expect(legPath(leg)).toEqual(['A', 'P', 'B']);
  });

  it('uses the first request when a leg has no INVITE', () => {
    expect(legPath([msg(0, 'A', 'R', 'REGISTER'), msg(0, 'R', 'A')])).toEqual(['A', 'R']);
  });
});

describe('defaultPivot', () => {
  it('is the receiver of the first INVITE of the group', () => {
    expect(defaultPivot([msg(0, 'X', 'Y', 'OPTIONS'), msg(0, 'A', 'SBC', 'INVITE'), msg(1, 'SBC', 'B', 'INVITE')])).toBe('SBC');
  });

  it('is null for an empty group', () => {
    expect(defaultPivot([])).toBeNull();
  });
});

describe('computeSides', () => {
  //  B2BUA:  A --leg 0--> SBC --leg 1--> B
  const b2b = [
    msg(0, 'A', 'SBC', 'INVITE'),
    msg(0, 'SBC', 'A'), // 100 Trying
    msg(1, 'SBC', 'B', 'INVITE'),
    msg(1, 'B', 'SBC'), // 200
    msg(0, 'SBC', 'A'), // 200
    msg(0, 'A', 'SBC', 'ACK'),
    msg(1, 'SBC', 'B', 'ACK'),
    msg(1, 'B', 'SBC', 'BYE'), // in-dialog, sent by the callee
    msg(0, 'SBC', 'A', 'BYE'),
  ];

  it('makes the inbound leg of a B2BUA the caller side and the outbound leg the callee side', () => {
    expect(computeSides(b2b, 'SBC')).toEqual([
      'caller', 'caller', 'callee', 'callee', 'caller', 'caller', 'callee', 'callee', 'caller',
    ]);
  });

  it('makes everything caller side when the pivot is the final callee', () => {
    expect(computeSides(b2b, 'B').every((s) => s === 'caller')).toBe(true);
  });

  it('makes everything callee side when the pivot is the first caller', () => {
    expect(computeSides(b2b, 'A').every((s) => s === 'callee')).toBe(true);
  });

  //  SBC -> proxy -> carrier:  A --leg 0--> SBC ==leg 1==> PROXY ==leg 1==> CARRIER
  const chain = [
    msg(0, 'A', 'SBC', 'INVITE'),
    msg(1, 'SBC', 'PROXY', 'INVITE'),
    msg(1, 'PROXY', 'CARRIER', 'INVITE'),
    msg(1, 'CARRIER', 'PROXY'), // 200
    msg(1, 'PROXY', 'SBC'), // 200
    msg(0, 'SBC', 'A'), // 200
  ];

  it('splits a proxy chain at the proxy when the proxy is the pivot', () => {
    expect(computeSides(chain, 'PROXY')).toEqual(['caller', 'caller', 'callee', 'callee', 'caller', 'caller']);
  });

  it('places the whole outbound leg of the SBC on the callee side at the default pivot', () => {
    expect(computeSides(chain, defaultPivot(chain))).toEqual(['caller', 'callee', 'callee', 'callee', 'callee', 'caller']);
  });

  it('marks a message on no hop of its leg path as other', () => {
    const leg = [msg(0, 'A', 'P', 'INVITE'), msg(0, 'P', 'B', 'INVITE'), msg(0, 'P', 'MEDIA', 'INFO')];
    expect(computeSides(leg, 'P')).toEqual(['caller', 'callee', 'other']);
  });

  it('places a leg that misses the pivot by the legs that reach it', () => {
    //  leg 0: A -> P -> B ; leg 1: C -> A (C calls the caller, upstream of P)
    const ms = [msg(0, 'A', 'P', 'INVITE'), msg(0, 'P', 'B', 'INVITE'), msg(1, 'C', 'A', 'INVITE'), msg(2, 'B', 'D', 'INVITE')];
    expect(computeSides(ms, 'P')).toEqual(['caller', 'callee', 'caller', 'callee']);
  });

  it('gives the consultation leg of an attended transfer its own caller and callee hops', () => {
    //  leg 0: A -> P -> B ; leg 1: B -> P -> C (B consults C through the proxy)
    const ms = [
      msg(0, 'A', 'P', 'INVITE'),
      msg(0, 'P', 'B', 'INVITE'),
      msg(1, 'B', 'P', 'INVITE'),
      msg(1, 'P', 'C', 'INVITE'),
      msg(0, 'B', 'P', 'REFER'),
    ];
    expect(computeSides(ms, 'P')).toEqual(['caller', 'callee', 'caller', 'callee', 'callee']);
  });

  it('marks every message other without a pivot', () => {
    expect(computeSides(b2b, null).every((s) => s === 'other')).toBe(true);
  });

  it('reads endpoint ids through keyOf as their columns, as if given re-keyed messages', () => {
    //  Endpoints: the SBC answers on two ports, folded into one column by IP; A and B unmapped.
    const keyOf = new Map([
      ['SBC:5060', 'SBC'],
      ['SBC:5080', 'SBC'],
    ]);
    const byPort = b2b.map((m) => ({ ...m, src: m.src === 'SBC' ? `SBC:${m.leg === 0 ? 5060 : 5080}` : m.src, dst: m.dst === 'SBC' ? `SBC:${m.leg === 0 ? 5060 : 5080}` : m.dst }));
    expect(computeSides(byPort, 'SBC', keyOf)).toEqual(computeSides(b2b, 'SBC'));
    expect(computeSides(byPort, 'SBC')).toEqual(b2b.map(() => 'other'));
  });

  it('finds the path of a leg without INVITE among all its messages', () => {
    //  leg 0 INVITE A -> P -> B; leg 1 MESSAGE B -> P -> C, with a 200 back on the first hop
    const ms = [msg(0, 'A', 'P', 'INVITE'), msg(1, 'B', 'P', 'MESSAGE'), msg(0, 'P', 'B', 'INVITE'), msg(1, 'P', 'C', 'MESSAGE'), msg(1, 'P', 'B')];
    expect(computeSides(ms, 'P')).toEqual(['caller', 'caller', 'callee', 'callee', 'caller']);
  });
});

describe('sideVisible', () => {
  it('shows every side under Both and only the matching side otherwise', () => {
    expect(sideVisible('other', 'both')).toBe(true);
    expect(sideVisible('caller', 'callee')).toBe(false);
    expect(sideVisible('callee', 'callee')).toBe(true);
  });
});
