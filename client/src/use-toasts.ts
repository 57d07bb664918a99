/** Short messages at the bottom of the screen; errors stay longer. At most four at a time. */
import { useCallback, useRef, useState } from 'react';
import type { Toast } from './components/Toasts.tsx';

export type Notify = (kind: Toast['kind'], text: string) => void;

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const lastId = useRef(0);
  const notify: Notify = useCallback((kind, text) => {
    const id = ++lastId.current;
    setToasts((ts) => [...ts.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((ts) => ts.filter((t) => t.id !== id)), kind === 'error' ? 7000 : 3500);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  return { toasts, notify, dismiss };
}
