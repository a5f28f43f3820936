import { describe, expect, it } from 'vitest';
import { PageShare, queryKey } from './page-share.ts';

describe('PageShare', () => {
  it('gives a kept answer only to a refetch that follows the tick it was read at, or an earlier one', () => {
    const share = new PageShare<string>(4, 500);
    share.set('from=1', 7, 1000, 'page@7');
    expect(share.get('from=1', 6, 1010)).toBe('page@7');
    expect(share.get('from=1', 7, 1010)).toBe('page@7');
    // Told of tick 8, which the answer may not hold: read again.
    expect(share.get('from=1', 8, 1010)).toBeUndefined();
    expect(share.get('from=2', 7, 1010)).toBeUndefined();
  });

  it('gives no answer older than its age bound (Timer B is read from the clock)', () => {
    const share = new PageShare<string>(4, 500);
    share.set('k', 3, 1000, 'old');
    expect(share.get('k', 3, 1500)).toBe('old');
    expect(share.get('k', 3, 1501)).toBeUndefined();
  });

  it('keeps the newer of two answers to one query, whatever order they were read in', () => {
    const share = new PageShare<string>(4, 500);
    share.set('k', 9, 1000, 'newer');
    share.set('k', 8, 1001, 'older, finished later');
    expect(share.get('k', 9, 1002)).toBe('newer');
    share.set('k', 10, 1003, 'newest');
    expect(share.get('k', 10, 1004)).toBe('newest');
  });

  it('drops answers too old to give when it keeps another', () => {
    const share = new PageShare<string>(4, 500);
    share.set('a', 1, 1000, 'A');
    share.set('b', 1, 1400, 'B');
    share.set('c', 2, 1600, 'C');
    expect(share.size).toBe(2);
    expect(share.get('b', 1, 1600)).toBe('B');
  });

  it('keeps at most maxPages queries, dropping the one used longest ago', () => {
    const share = new PageShare<string>(2, 500);
    share.set('a', 1, 1000, 'A');
    share.set('b', 1, 1000, 'B');
    expect(share.get('a', 1, 1000)).toBe('A'); // a is now the newest use
    share.set('c', 1, 1000, 'C');
    expect(share.get('b', 1, 1000)).toBeUndefined();
    expect(share.get('a', 1, 1000)).toBe('A');
    expect(share.get('c', 1, 1000)).toBe('C');
  });
});

describe('queryKey', () => {
  it('is the same for the same parameters in any order, repeated ones included', () => {
    expect(queryKey({ limit: '500', from: '1', problem: ['missing-ack', 'glare-491'] }))
      .toBe(queryKey({ problem: ['glare-491', 'missing-ack'], from: '1', limit: '500' }));
  });

  it('tells apart values, names and a parameter that is absent', () => {
    const base = queryKey({ from: '1', user: 'alice' });
    expect(queryKey({ from: '2', user: 'alice' })).not.toBe(base);
    expect(queryKey({ from: '1', ip: 'alice' })).not.toBe(base);
    expect(queryKey({ from: '1', user: 'alice', to: undefined })).toBe(base);
    expect(queryKey({ from: '1' })).not.toBe(base);
    // A value holding a separator is not taken for two parameters.
    expect(queryKey({ user: 'a&from=1' })).not.toBe(queryKey({ user: 'a', from: '1' }));
  });
});
