/**
 * Model pulls started from the editor: `pull(id)` asks the server, and the socket's model
 * events (parsed with src/model/model-events.ts's schemas) move each pull's progress until
 * it is ready or failed. Progress is a fraction, or null while the size is unknown.
 */
import { useCallback, useEffect, useState } from 'react';
import { MODEL_EVENT_NAMES, parseModelEvent, type ModelEventName, type ModelSocketEvents } from '../../src/model/model-events.ts';
import { api } from './api.ts';
import { liveSocket } from './live.ts';

type Notify = (kind: 'info' | 'error' | 'ok', text: string) => void;

export function useModelPulls(notify: Notify, refreshModels: () => void) {
  const [progress, setProgress] = useState<Record<string, number | null>>({});
  const forget = (id: string) => setProgress(({ [id]: _gone, ...rest }) => rest);

  useEffect(() => {
    const socket = liveSocket();
    const end = (p: { id: string; error?: { message: string } }) => {
      forget(p.id);
      if (p.error) notify('error', `Pulling ${p.id} failed: ${p.error.message}`);
      else notify('ok', `Model ${p.id} is ready`);
      refreshModels();
    };
    const handlers: { [K in ModelEventName]: (p: ModelSocketEvents[K]) => void } = {
      'model:progress': (p) => setProgress((m) => ({ ...m, [p.id]: p.total ? p.received / p.total : null })),
      'model:message': () => undefined,
      'model:pulled': end,
      'model:failed': end,
    };
    const listen = <K extends ModelEventName>(name: K): readonly [string, (payload: unknown) => void] => {
      const listener = (payload: unknown) => {
        const parsed = parseModelEvent(name, payload);
        if (parsed.ok) handlers[name](parsed.payload);
        else notify('error', parsed.error);
      };
      socket.on(name as string, listener);
      return [name, listener] as const;
    };
    const listeners = MODEL_EVENT_NAMES.map(listen);
    return () => {
      for (const [name, listener] of listeners) socket.off(name, listener);
    };
  }, [notify, refreshModels]);

  const pull = useCallback(
    (id: string) => {
      setProgress((m) => ({ ...m, [id]: null }));
      api.pullModel(id).catch((e: Error) => {
        notify('error', e.message);
        forget(id);
      });
    },
    [notify],
  );

  return { progress, pull };
}
