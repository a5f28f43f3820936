import { describe, it, expect } from 'vitest';
import { writeSplitting } from './split.ts';
import { contentFault as pgContentFault } from './homer/errors.ts';
import { contentFault as sqliteContentFault } from './sqlite-errors.ts';
import { makeMessage } from '../testing/store-suite.ts';
import { NUL_MARK } from '../collector/storable.ts';
import type { MessageInput } from './types.ts';

/** A write that refuses any part holding a message whose Call-ID starts with "bad", as a store refuses content. */
function refusing(stored: string[], calls: { n: number }, lostAt?: number) {
  return async (part: MessageInput[]) => {
    calls.n++;
    if (calls.n === lostAt) throw new Error('Connection terminated unexpectedly');
    if (part.some((m) => m.callId.startsWith('bad'))) throw Object.assign(new Error('refused'), { code: '22021' });
    stored.push(...part.map((m) => m.callId));
  };
}

const batch = (ids: string[]) => ids.map((callId) => makeMessage({ callId }));

describe('writeSplitting', () => {
  it('writes a clean batch in one write', async () => {
    const stored: string[] = [];
    const calls = { n: 0 };
    await writeSplitting(batch(['a', 'b', 'c']), { write: refusing(stored, calls), contentFault: pgContentFault });
    expect(stored).toEqual(['a', 'b', 'c']);
    expect(calls.n).toBe(1);
  });

  it('stores every message around a refused one and sets that one aside with its reason', async () => {
    const stored: string[] = [];
    const calls = { n: 0 };
    const ids = Array.from({ length: 16 }, (_, i) => (i === 6 ? 'bad-6' : `m-${i}`));
    const aside: [string, string][] = [];
    await writeSplitting(batch(ids), { write: refusing(stored, calls), contentFault: pgContentFault,
      onSetAside: (reason, m) => aside.push([reason, m.callId]) });
    expect(stored.sort()).toEqual(ids.filter((i) => i !== 'bad-6').sort());
    expect(aside).toEqual([['character_not_in_repertoire', 'bad-6']]);
    expect(calls.n).toBeLessThanOrEqual(1 + 2 * Math.log2(16));
  });

  it('stores a refused message in its safe form when escaping its NULs is enough', async () => {
    const stored: string[] = [];
    await writeSplitting(batch(['x', 'y\0']), {
      write: async (part) => {
        if (part.some((m) => m.callId.includes('\0'))) throw Object.assign(new Error('NUL'), { code: '22021' });
        stored.push(...part.map((m) => m.callId));
      },
      contentFault: pgContentFault,
      onSetAside: () => { throw new Error('nothing is set aside'); },
    });
    expect(stored).toEqual(['x', `y${NUL_MARK}`]);
  });

  it('propagates an error that is not about content, having reported the parts already stored', async () => {
    const stored: string[] = [];
    const settled: string[] = [];
    // Writes: 1 the whole, refused; 2 ['a', 'bad'], refused; 3 ['a'], stored; 4 ['bad'], set aside; 5 ['c', 'd'], connection lost.
    await expect(writeSplitting(batch(['a', 'bad', 'c', 'd']), { write: refusing(stored, { n: 0 }, 5), contentFault: pgContentFault,
      settled: (part) => settled.push(...part.map((m) => m.callId)) })).rejects.toThrow('Connection terminated');
    expect(stored).toEqual(['a']);
    expect(settled).toEqual(['a', 'bad']); // a retry of the batch skips these two
  });
});

describe('content faults', () => {
  it('names PostgreSQL data exceptions and program limits, and nothing else', () => {
    expect(pgContentFault({ code: '22021' })).toBe('character_not_in_repertoire');
    expect(pgContentFault({ code: '54000' })).toBe('program_limit_exceeded');
    expect(pgContentFault({ code: '22012' })).toBe('sqlstate_22012');
    for (const code of ['57P01', '08006', '40P01', '42P01', '23505', undefined]) expect(pgContentFault({ code })).toBeNull();
    expect(pgContentFault(new Error('Connection terminated unexpectedly'))).toBeNull();
  });

  it('names SQLite constraint, size and type faults and JavaScript value errors, not busy, locked, I/O or full', () => {
    expect(sqliteContentFault({ code: 'SQLITE_CONSTRAINT_NOTNULL' })).toBe('sqlite_constraint_notnull');
    expect(sqliteContentFault({ code: 'SQLITE_TOOBIG' })).toBe('sqlite_toobig');
    expect(sqliteContentFault(new RangeError('Invalid string length'))).toBe('string_too_long');
    expect(sqliteContentFault(new TypeError('bad bind'))).toBe('invalid_value');
    for (const code of ['SQLITE_CONSTRAINT_TRIGGER', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_CORRUPT', 'SQLITE_READONLY']) {
      expect(sqliteContentFault({ code })).toBeNull();
    }
    expect(sqliteContentFault(new Error('SQLite writer thread exited (1)'))).toBeNull();
  });
});
