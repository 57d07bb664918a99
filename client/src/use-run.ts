/**
 * The run the editor follows: started from this tab, kept up to date from socket events
 * (progress, logs, preview frames, the end), and turned into per-node live state.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api.ts';
import { liveSocket } from './live.ts';
import type { GraphDocument, Problem, RunRecord } from './types.ts';

type Payload = { runId?: string; run?: RunRecord } & Record<string, unknown>;

export function useRun(onMessage: (kind: 'info' | 'error' | 'ok', text: string) => void) {
  const [run, setRun] = useState<RunRecord | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const runId = useRef<string | null>(null);
  const previewUrl = useRef<string | null>(null);
  /**
   * The last 'run:started' seen, whoever's: it can arrive before this tab knows its run's
   * id (the POST's answer) or has its record, and its plan is what marks pass-through nodes
   * (the Batcher) live.
   */
  const lastStarted = useRef<{ runId: string; plan: RunRecord['plan']; startedAt: string } | null>(null);

  useEffect(() => {
    const socket = liveSocket();
    const mine = (p: Payload) => (p.runId ?? p.run?.id) === runId.current && runId.current !== null;
    const onConnect = () => setConnected(true);
    const onDisconnect = () => setConnected(false);
    const whole = (p: Payload) => mine(p) && p.run && setRun(p.run);
    const started = (p: Payload) => {
      if (typeof p.runId === 'string') lastStarted.current = { runId: p.runId, plan: p['plan'] as RunRecord['plan'], startedAt: p['startedAt'] as string };
      if (mine(p)) setRun((r) => (r ? { ...r, status: 'running', plan: p['plan'] as RunRecord['plan'], startedAt: p['startedAt'] as string } : r));
    };
    const progress = (p: Payload) =>
      mine(p) && setRun((r) => (r && r.status === 'running' ? { ...r, framesDone: p['framesDone'] as number, framesTotal: p['framesTotal'] as number | null, metrics: p['metrics'] as RunRecord['metrics'] } : r));
    const log = (p: Payload) => mine(p) && setRun((r) => (r ? { ...r, logs: [...r.logs, p as unknown as RunRecord['logs'][number]].slice(-200) } : r));
    const frame = (p: Payload) => {
      if (!mine(p)) return;
      const url = URL.createObjectURL(new Blob([p['data'] as ArrayBuffer], { type: 'image/jpeg' }));
      if (previewUrl.current) URL.revokeObjectURL(previewUrl.current);
      previewUrl.current = url;
      setPreview(url);
    };
    const finished = (p: Payload) => {
      if (!mine(p) || !p.run) return;
      setRun(p.run);
      if (p.run.status === 'finished') onMessage('ok', `Run finished: ${p.run.framesDone} frames in ${((p.run.metrics?.wallMs ?? 0) / 1000).toFixed(1)} s`);
      if (p.run.status === 'failed') onMessage('error', `Run failed${p.run.error?.node ? ` in ${p.run.error.node}` : ''}: ${p.run.error?.message ?? ''}`);
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('run:queued', whole);
    socket.on('run:started', started);
    socket.on('run:progress', progress);
    socket.on('run:log', log);
    socket.on('run:preview', frame);
    socket.on('run:finished', finished);
    socket.on('run:failed', finished);
    socket.on('run:cancelled', finished);
    if (socket.connected) setConnected(true);
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      for (const e of ['run:queued', 'run:started', 'run:progress', 'run:log', 'run:preview', 'run:finished', 'run:failed', 'run:cancelled']) socket.off(e);
    };
  }, [onMessage]);

  const start = useCallback(
    async (doc: GraphDocument, providers?: string[]): Promise<Problem[] | null> => {
      try {
        setPreview(null);
        const { run: queued } = await api.run(doc, providers);
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
    [onMessage],
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
