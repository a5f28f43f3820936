import { describe, expect, it } from 'vitest';
import { applyOrder, columnKey, groupColumns, moveKey, moveVisible, parseEndpointId } from './columns.ts';

const eps = [
  { id: '10.0.0.1:5060', ip: '10.0.0.1', port: 5060, alias: null },
  { id: '10.0.0.2:5060', ip: '10.0.0.2', port: 5060, alias: 'SBC' },
  { id: '10.0.0.2:5080', ip: '10.0.0.2', port: 5080, alias: 'SBC' },
  { id: '10.0.0.9:5060', ip: '10.0.0.9', port: 5060, alias: null },
];
const msgs = [
  { src: '10.0.0.2:5080', dst: '10.0.0.1:5060' },
  { src: '10.0.0.1:5060', dst: '10.0.0.2:5060' },
];

describe('columns', () => {
  it('keys an endpoint by ip:port, ip or alias (ip without an alias)', () => {
    expect(columnKey(eps[1], 'ip:port')).toBe('10.0.0.2:5060');
    expect(columnKey(eps[1], 'ip')).toBe('10.0.0.2');
    expect(columnKey(eps[1], 'alias')).toBe('SBC');
    expect(columnKey(eps[0], 'alias')).toBe('10.0.0.1');
  });

  it('orders columns by first appearance, then endpoints no message touches', () => {
    expect(groupColumns(eps, msgs, 'ip:port').map((c) => c.key)).toEqual(['10.0.0.2:5080', '10.0.0.1:5060', '10.0.0.2:5060', '10.0.0.9:5060']);
  });

  it('folds endpoints into one column per ip or alias', () => {
    const cols = groupColumns(eps, msgs, 'alias');
    expect(cols.map((c) => c.key)).toEqual(['SBC', '10.0.0.1', '10.0.0.9']);
    expect(cols[0]).toEqual({ key: 'SBC', endpoints: ['10.0.0.2:5080', '10.0.0.2:5060'], aliases: ['SBC'] });
  });

  it('applies a user order and appends the columns it does not list', () => {
    expect(applyOrder(['a', 'b', 'c', 'd'], ['c', 'zz', 'a'])).toEqual(['c', 'a', 'b', 'd']);
  });

  it('moves a key and clamps the target', () => {
    expect(moveKey(['a', 'b', 'c'], 'a', 2)).toEqual(['b', 'c', 'a']);
    expect(moveKey(['a', 'b', 'c'], 'c', -5)).toEqual(['c', 'a', 'b']);
  });

  it('moves among visible columns and leaves hidden ones in their slots', () => {
    //  order a [b hidden] c d ; move d to visible position 0
    expect(moveVisible(['a', 'b', 'c', 'd'], new Set(['b']), 'd', 0)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('parses IPv4 and IPv6 endpoint ids', () => {
    expect(parseEndpointId('[2001:db8::1]:5061')).toMatchObject({ ip: '2001:db8::1', port: 5061 });
    expect(parseEndpointId('192.0.2.1:5060')).toMatchObject({ ip: '192.0.2.1', port: 5060 });
  });
});
