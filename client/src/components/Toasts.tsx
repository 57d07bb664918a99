/** Short messages at the bottom of the screen: a refused connection, a save, an error. */
export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'ok';
  text: string;
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="ff-toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`ff-toast ${t.kind}`} onClick={() => onDismiss(t.id)}>
          {t.text}
        </div>
      ))}
    </div>
  );
}
