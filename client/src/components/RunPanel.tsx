/**
 * The run panel: status, progress with ETA, a live preview, warnings and the failing
 * node's error, then the output playing in the page and the per-stage time chart.
 */
import { mediaUrl } from '../api.ts';
import type { RunRecord } from '../types.ts';
import { StageChart } from './StageChart.tsx';
import { FarmProgress } from './FarmProgress.tsx';

interface Props {
  run: RunRecord | null;
  preview: string | null;
  onCancel: () => void;
  onFocusNode: (id: string) => void;
  /** The output file a node was asked to write (its output-file parameter), to say when the run took another name. */
  askedOutput: (node: string) => { param: string; path: string; overwrite: boolean } | null;
  /** Makes the node replace its output file from the next run on (an edit of the graph, undoable). */
  onOverwrite: (node: string) => void;
}

function eta(run: RunRecord): string | null {
  const fps = run.metrics?.fps ?? 0;
  if (run.status !== 'running' || !run.framesTotal || fps <= 0) return null;
  const seconds = Math.max(0, (run.framesTotal - run.framesDone) / fps);
  return seconds < 60 ? `${Math.ceil(seconds)} s left` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s left`;
}

/** A data-folder path as the run record writes it (no leading ./). */
const normalise = (path: string) => path.replace(/^\.\//, '');

function size(bytes: number): string {
  return bytes > 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

export function RunPanel({ run, preview, onCancel, onFocusNode, askedOutput, onOverwrite }: Props) {
  if (!run) {
    return (
      <div className="ff-run-empty">
        <p>Press <kbd>Run</kbd> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>) to execute the graph.</p>
        <p className="ff-hint">Progress, a live preview, the output video and where the time went appear here.</p>
      </div>
    );
  }
  const done = run.status === 'finished';
  const pct = done ? 100 : run.framesTotal ? Math.min(100, Math.floor((run.framesDone / run.framesTotal) * 100)) : 0;
  const warnings = run.logs.filter((l) => l.level === 'warn');
  return (
    <div className="ff-run" data-status={run.status}>
      <div className="ff-run-head">
        <span className={`ff-status ${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        <span className="ff-hint">{run.graphName}</span>
        {(run.status === 'running' || run.status === 'queued') && (
          <button type="button" className="danger ff-small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {run.status === 'queued' && (
        <p className="ff-hint" data-testid="run-queued">
          {run.queuePosition ? `Queued behind ${run.queuePosition} other queued run${run.queuePosition > 1 ? 's' : ''} and the run in progress…` : 'Queued: starts when the run in progress ends…'}
        </p>
      )}
      <div className="ff-progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <div style={{ width: `${pct}%` }} />
        <span data-testid="run-progress">{pct}%</span>
      </div>
      <div className="ff-run-stats">
        <span>
          {run.framesDone}
          {run.framesTotal ? ` / ${run.framesTotal}` : ''} frames
        </span>
        {run.metrics && <span>{run.metrics.fps.toFixed(1)} fps</span>}
        {eta(run) && <span>{eta(run)}</span>}
        {run.metrics && run.status !== 'running' && <span>{(run.metrics.wallMs / 1000).toFixed(1)} s</span>}
      </div>
      {run.farm && <FarmProgress progress={run.farm} />}
      {run.error && (
        <div className="ff-run-error" role="alert">
          <b>{run.error.code}</b>
          {run.error.node && (
            <>
              {' '}
              in{' '}
              <button type="button" className="ff-link" onClick={() => onFocusNode(run.error!.node!)}>
                {run.error.node}
              </button>
            </>
          )}
          : {run.error.message}
          {run.error.fix && <div className="ff-hint">{run.error.fix}</div>}
        </div>
      )}
      {done && run.outputs.length > 0 ? (
        <div className="ff-output">
          {run.outputs.map((o) =>
            /\.(mp4|webm|mov|mkv|m4v)$/i.test(o.path) ? (
              <video key={o.url} data-testid="output-video" src={mediaUrl(o.url)} controls muted loop autoPlay playsInline />
            ) : /\.(png|jpe?g|webp)$/i.test(o.path) ? (
              <img key={o.url} src={mediaUrl(o.url)} alt={o.path} />
            ) : null,
          )}
          {run.outputs.map((o) => {
            const asked = askedOutput(o.node);
            const renamed = asked && normalise(asked.path) !== normalise(o.path);
            return (
              <div key={`${o.url}-dl`}>
                <a href={mediaUrl(`${o.url}?download`)} className="ff-download" data-testid="output-name">
                  ⤓ {o.path} <span className="ff-hint">({size(o.size)})</span>
                </a>
                {renamed && (
                  <p className="ff-hint" data-testid="output-renamed">
                    {asked.path} was already there and was kept: this run wrote {o.path}.{' '}
                    {!asked.overwrite && (
                      <button type="button" className="ff-link" data-testid="overwrite-next" onClick={() => onOverwrite(o.node)}>
                        Replace {asked.path} from the next run on
                      </button>
                    )}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      ) : (
        preview && (
          <div className="ff-preview">
            <img src={preview} alt="live preview" data-testid="run-preview" />
          </div>
        )
      )}
      {done && run.outputs.length === 0 && Object.keys(run.results).length > 0 && (
        <details className="ff-results">
          <summary>Results</summary>
          <pre>{JSON.stringify(run.results, null, 1).slice(0, 2000)}</pre>
        </details>
      )}
      {run.metrics && run.metrics.stages.length > 0 && (run.status !== 'running' || run.metrics.wallMs > 0) && <StageChart metrics={run.metrics} />}
      {warnings.length > 0 && (
        <div className="ff-log">
          <h4>Warnings</h4>
          {warnings.slice(-20).map((l, i) => (
            <div key={i} className="ff-log-line warn">
              <button type="button" className="ff-link" onClick={() => onFocusNode(l.node)}>
                {l.node}
              </button>{' '}
              {l.message}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
