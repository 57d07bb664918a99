/**
 * The queue and history: every run the server knows (from any tab or client), newest
 * first, with its state, progress, duration and outputs; a queued or running one can be
 * cancelled, and any one's graph re-opened.
 */
import { useEffect, useState } from 'react';
import { api, mediaUrl } from '../api.ts';
import type { RunRecord } from '../types.ts';

interface Props {
  onOpenGraph: (run: RunRecord) => void;
  onError: (message: string) => void;
}

function duration(run: RunRecord): string {
  if (!run.startedAt) return '';
  const end = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  return `${((end - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`;
}

export function RunHistory({ onOpenGraph, onError }: Props) {
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  useEffect(() => {
    let stopped = false;
    const refresh = () => void api.runs().then((r) => !stopped && setRuns([...r.runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))), (e: Error) => onError(e.message));
    refresh();
    const timer = setInterval(refresh, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [onError]);
  if (runs === null) return <p className="ff-hint">Loading…</p>;
  if (runs.length === 0) return <p className="ff-hint">No runs yet.</p>;
  return (
    <ol className="ff-history" data-testid="run-history">
      {runs.map((run) => {
        const live = run.status === 'queued' || run.status === 'running';
        const pct = run.framesTotal ? Math.round((100 * run.framesDone) / run.framesTotal) : null;
        return (
          <li key={run.id} data-testid="history-run" data-status={run.status}>
            <div>
              <b>{run.file ?? run.graphName}</b> <span className={`ff-status ${run.status}`}>{run.status}</span>
              {pct !== null && <span className="ff-hint"> {pct}%</span>} <span className="ff-hint">{duration(run)}</span>
            </div>
            <div className="ff-hint">{new Date(run.createdAt).toLocaleTimeString()} · {run.framesDone} frames</div>
            {run.outputs.map((o) => (
              <a key={o.url} href={mediaUrl(`${o.url}?download`)} className="ff-download">⤓ {o.path}</a>
            ))}
            <div className="ff-history-actions">
              {live && (
                <button type="button" className="danger ff-small" data-testid="history-cancel" onClick={() => void api.cancel(run.id).catch((e: Error) => onError(e.message))}>
                  Cancel
                </button>
              )}
              <button type="button" className="ff-small" data-testid="history-open" onClick={() => onOpenGraph(run)}>
                Open its graph
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
