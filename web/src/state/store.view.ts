/**
 * Per-view state that is not worth sharing: the keyboard cursor, the zoom and the column being
 * dragged. Reset whenever another group opens (reset(groupId)).
 */
import { create } from 'zustand';
import { IDENTITY, type ZoomTransform } from '../ladder/zoom-math.ts';

export interface ViewStore {
  groupId: string | null;
  /** Index into the displayed rows of the keyboard cursor, -1 = none. */
  cursor: number;
  zoom: ZoomTransform;
  /** Column key being dragged in the header, null when none. */
  dragging: string | null;
  reset(groupId: string): void;
  setCursor(row: number): void;
  setZoom(t: ZoomTransform): void;
  setDragging(key: string | null): void;
}

export const useView = create<ViewStore>((set, get) => ({
  groupId: null,
  cursor: -1,
  zoom: IDENTITY,
  dragging: null,
  reset: (groupId) => {
    if (get().groupId !== groupId) set({ groupId, cursor: -1, zoom: IDENTITY, dragging: null });
  },
  setCursor: (cursor) => set({ cursor }),
  setZoom: (zoom) => set({ zoom }),
  setDragging: (dragging) => set({ dragging }),
}));
