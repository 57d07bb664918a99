/**
 * A farm run's progress in the run panel (`serve --farm`): frames done across all workers,
 * each active worker's fps, and one cell per segment saying where it is (waiting, active on
 * a worker, done by a worker), from the `run:farm` events the editor parses in use-run.ts.
 */
import type { FarmProgress as Progress } from '../../../src/model/farm-progress.ts';

const LABEL: Record<Progress['segmentList'][number]['state'], string> = {
  waiting: 'queued',
  missing: 'queued',
  active: 'active',
  done: 'done',
  failed: 'failed',
};

export function FarmProgress({ progress }: { progress: Progress }) {
  const s = progress.segments;
  return (
    <div className="ff-farm" data-testid="farm-progress">
      <div className="ff-run-stats">
        <span data-testid="farm-frames">
          {progress.framesDone} / {progress.framesTotal} frames on the farm
        </span>
        <span data-testid="farm-counts">
          segments: {s.done ?? 0} done, {s.active ?? 0} active, {(s.waiting ?? 0) + (s.missing ?? 0)} queued
          {s.failed ? `, ${s.failed} failed` : ''}
        </span>
      </div>
      {progress.workers.length > 0 && (
        <table className="ff-farm-workers">
          <thead>
            <tr>
              <th>worker</th>
              <th>segment</th>
              <th>fps</th>
            </tr>
          </thead>
          <tbody>
            {progress.workers.map((w) => (
              <tr key={`${w.name}-${w.segment}`} data-testid="farm-worker">
                <td>{w.name}</td>
                <td>#{w.segment + 1}</td>
                <td>{w.fps.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ol className="ff-farm-segments">
        {progress.segmentList.map((seg) => (
          <li key={seg.index} className={`ff-farm-seg ${seg.state}`} data-testid="farm-segment" data-state={seg.state} title={`segment ${seg.index + 1}: ${seg.frames} frames`}>
            #{seg.index + 1} {LABEL[seg.state]}
            {seg.worker ? (seg.state === 'done' ? ` by ${seg.worker}` : ` on ${seg.worker}`) : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}
