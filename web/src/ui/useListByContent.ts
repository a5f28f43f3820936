/**
 * The same array for as long as a list's content stays the same. URL state is parsed afresh on
 * every change, so its lists are new arrays each time; memos keyed on them would redo their work.
 */
import { useMemo } from 'react';

export function useListByContent(list: readonly string[]): readonly string[] {
  const key = JSON.stringify(list);
  return useMemo(() => JSON.parse(key) as string[], [key]);
}
