/**
 * The run the editor follows: started from this tab, kept up to date from socket events
 * (progress, logs, preview frames, the end), and turned into per-node live state.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseRunEvent, type RunEventName, type RunSocketEvents } from '../../src/model/run-events.ts';
import { api, ApiError } from './api.ts';
import { listenParsed, liveSocket } from './live.ts';
import type { GraphDocument, Problem, RunRecord } from './types.ts';

/** The first line of a message, at most 100 characters. */
function shortMessage(message: string): string {
  const line = message.split('\n')[0]!.trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

type Handlers = { [K in RunEventName]: (payload: RunSocketEvents[K]) => void };

export function useRun(onMessage: (kind: 'info' | 'error' | 'ok', text: string) => void) {
  const [run, setRun] = useState<RunRecord | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const runId = useRef<string | null>(null);
  const previewUrl = useRef<string | null>(null);
  /** Shows `url` (an object URL this hook made) or nothing; the URL shown before is released. */
  const showPreview = useCallback((url: string | null) => {
    if (previewUrl.current) URL.revokeObjectURL(previewUrl.current);
    previewUrl.current = url;
    setPreview(url);
  }, []);
  /**
   * The last 'run:started' seen, whoever's: it can arrive before this tab knows its run's
   * id (the POST's answer) or has its record, and its plan is what marks pass-through nodes
   * (the Batcher) live.
   */
  const lastStarted = useRef<RunSocketEvents['run:started'] | null>(null);

  /** Follows the run the server is running (else the next queued one) when this tab follows none that is live. */
  const reattach = useCallback(async () => {
    const { runs } = await api.runs().catch(() => ({ runs: [] as RunRecord[] }));
    const live = runs.filter((r) => r.status === 'running' || r.status === 'queued').sort((a, b) => (a.status === b.status ? b.createdAt.localeCompare(a.createdAt) : a.status === 'running' ? -1 : 1));
    const found = live[0];
    if (!found) return;
    setRun((r) => {
      if (r && (r.status === 'running' || r.status === 'queued')) return r;
      runId.current = found.id;
      return found;
    });
  }, []);

  useEffect(() => {
    const socket = liveSocket();
    const mine = (id: string) => id === runId.current && runId.current !== null;
    const onConnect = () => setConnected(true);
    const onDisconnect = () => setConnected(false);
    const ended = ({ run: ended }: { run: RunRecord }) => {
      if (!mine(ended.id)) return;
      setRun(ended);
      if (ended.status === 'finished') onMessage('ok', `Run finished: ${ended.framesDone} frames in ${((ended.metrics?.wallMs ?? 0) / 1000).toFixed(1)} s`);
      // One short line: the whole message and its fix are in the run panel, once.
      if (ended.status === 'failed') onMessage('error', `Run failed${ended.error?.node ? ` in ${ended.error.node}` : ''}: ${shortMessage(ended.error?.message ?? '')} (details in the Run panel)`);
    };
    const handlers: Handlers = {
      'run:queued': (p) => mine(p.run.id) && setRun(p.run),
      'run:started': (p) => {
        lastStarted.current = p;
        if (mine(p.runId)) setRun((r) => (r ? { ...r, status: 'running', plan: p.plan, startedAt: p.startedAt } : r));
      },
      'run:progress': (p) =>
        mine(p.runId) && setRun((r) => (r && r.status === 'running' ? { ...r, framesDone: p.framesDone, framesTotal: p.framesTotal, metrics: p.metrics } : r)),
      'run:farm': (p) => mine(p.runId) && setRun((r) => (r && r.status === 'running' ? { ...r, farm: p.progress, framesDone: p.progress.framesDone, framesTotal: p.progress.framesTotal } : r)),
      'run:log': ({ runId: id, ...entry }) => mine(id) && setRun((r) => (r ? { ...r, logs: [...r.logs, entry].slice(-200) } : r)),
      'run:preview': (p) => {
        if (!mine(p.runId)) return;
        showPreview(URL.createObjectURL(new Blob([p.data as BlobPart], { type: p.mime })));
      },
      'run:finished': ended,
      'run:failed': ended,
      'run:cancelled': ended,
    };
    // A malformed event is reported once per event name, not acted on.
    const reported = new Set<RunEventName>();
    const stopListening = listenParsed(parseRunEvent, handlers, (name, error) => {
      console.warn(error);
      if (!reported.has(name)) onMessage('error', error);
      reported.add(name);
    });
    // After a reload (or a lost connection) the server still has the run: follow it again.
    void reattach();
    socket.on('connect', reattach);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    if (socket.connected) setConnected(true);
    return () => {
      socket.off('connect', onConnect);
      socket.off('connect', reattach);
      socket.off('disconnect', onDisconnect);
      stopListening();
    };
  }, [onMessage, reattach, showPreview]);
  useEffect(() => () => showPreview(null), [showPreview]);

  const start = useCallback(
    async (doc: GraphDocument, providers?: string[]): Promise<Problem[] | null> => {
      try {
        showPreview(null);
        const { run: queued } = await api.run(doc, providers, liveSocket().id);
        runId.current = queued.id;
        // Events may have overtaken the answer: ask for the record as it is now.
        const { run: fetched } = await api.runs().then((r) => ({ run: r.runs.find((x) => x.id === queued.id) ?? queued }));
        // A 'run:started' that came before the id was known still carries the plan.
        const seen = lastStarted.current;
        const now: RunRecord =
          seen && seen.runId === fetched.id && !fetched.plan && (fetched.status === 'queued' || fetched.status === 'running')
            ? { ...fetched, status: 'running', plan: seen.plan, startedAt: seen.startedAt }
            : fetched;
        setRun((r) => (r && r.id === now.id && r.status !== 'queued' ? r : now));
        return null;
      } catch (e) {
        if (e instanceof ApiError && e.problems.length > 0) {
          onMessage('error', `Cannot run: ${e.problems.filter((p) => p.severity === 'error').length} problem(s) — see the outlined nodes`);
          return e.problems;
        }
        onMessage('error', `Cannot run: ${(e as Error).message}`);
        return null;
      }
    },
    [onMessage, showPreview],
  );

  const cancel = useCallback(async () => {
    if (!runId.current) return;
    try {
      await api.cancel(runId.current);
    } catch (e) {
      onMessage('error', (e as Error).message);
    }
  }, [onMessage]);

  return { run, preview, connected, start, cancel, active: run !== null && (run.status === 'running' || run.status === 'queued') };
}
