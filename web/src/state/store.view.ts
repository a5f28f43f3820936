/**
 * Per-view state that is not worth sharing: the keyboard cursor and the zoom. Reset whenever
 * another group opens (reset(groupId)).
 */
import { create } from 'zustand';
import { IDENTITY, type ZoomTransform } from '../ladder/zoom-math.ts';

export interface ViewStore {
  groupId: string | null;
  /** Index into the displayed rows of the keyboard cursor, -1 = none. */
  cursor: number;
  zoom: ZoomTransform;
  reset(groupId: string): void;
  setCursor(row: number): void;
  setZoom(t: ZoomTransform): void;
}

export const useView = create<ViewStore>((set, get) => ({
  groupId: null,
  cursor: -1,
  zoom: IDENTITY,
  reset: (groupId) => {
    if (get().groupId !== groupId) set({ groupId, cursor: -1, zoom: IDENTITY });
  },
  setCursor: (cursor) => set({ cursor }),
  setZoom: (zoom) => set({ zoom }),
}));
