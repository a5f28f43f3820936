/**
 * Keyboard for the ladder (sngrep/Wireshark style, survey §8.14): j/↓ and k/↑ move the cursor,
 * Home/End jump, Enter opens the message, Space marks it for compare, Esc closes the detail.
 * Ignored while typing in a field or when a control has the focus and uses the key itself.
 */
import { useEffect, useRef } from 'react';

interface Keys {
  rows: number;
  cursor: number;
  onCursor(row: number): void;
  onOpen(row: number): void;
  onMark(row: number): void;
  onClose(): void;
}

function ownsKeys(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'row';
}

export function useLadderKeys(k: Keys): void {
  const ref = useRef(k);
  ref.current = k;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const { rows, cursor, onCursor, onOpen, onMark, onClose } = ref.current;
      if (e.key === 'Escape') {
        onClose();
        return;
      }
      if (ownsKeys(e.target) || rows === 0) return;
      const at = Math.max(0, cursor);
      if (e.key === 'j' || e.key === 'ArrowDown') onCursor(cursor < 0 ? 0 : Math.min(rows - 1, cursor + 1));
      else if (e.key === 'k' || e.key === 'ArrowUp') onCursor(Math.max(0, cursor - 1));
      else if (e.key === 'Home') onCursor(0);
      else if (e.key === 'End') onCursor(rows - 1);
      else if (e.key === 'Enter') onOpen(at);
      else if (e.key === ' ') onMark(at);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
