/**
 * Which side panels are open. On a narrow window (a 1280x720 laptop) the palette starts
 * collapsed so the canvas keeps room (the node search, Tab or a double-click, adds nodes
 * without it); each panel folds away and back with its edge button or the command palette.
 */
import { useCallback, useState } from 'react';

/** Below this window width the palette starts folded. */
export const NARROW_WIDTH = 1400;

export function usePanels() {
  const [palette, setPalette] = useState(() => window.innerWidth >= NARROW_WIDTH);
  const [side, setSide] = useState(true);
  const togglePalette = useCallback(() => setPalette((open) => !open), []);
  const toggleSide = useCallback(() => setSide((open) => !open), []);
  const className = `${palette ? '' : ' no-palette'}${side ? '' : ' no-side'}`;
  return { palette, side, togglePalette, toggleSide, className };
}
