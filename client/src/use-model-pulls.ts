/**
 * Model pulls started from the editor: `pull(id)` asks the server, and the socket's model
 * events (parsed with src/model/model-events.ts's schemas) move each pull's progress until
 * it is ready or failed. Progress is a fraction, or null while the size is unknown.
 */
import { useCallback, useEffect, useState } from 'react';
import { parseModelEvent, type ModelEventName, type ModelSocketEvents } from '../../src/model/model-events.ts';
import { api } from './api.ts';
import { listenParsed } from './live.ts';

type Notify = (kind: 'info' | 'error' | 'ok', text: string) => void;

export function useModelPulls(notify: Notify, refreshModels: () => void) {
  const [progress, setProgress] = useState<Record<string, number | null>>({});
  const forget = (id: string) => setProgress(({ [id]: _gone, ...rest }) => rest);

  useEffect(() => {
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
    return listenParsed(parseModelEvent, handlers, (_name, error) => notify('error', error));
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
