/** Where the time went: one bar per stage, its busy time against the run's wall time. The longest bar sets the pace. */
import type { RunMetrics } from '../types.ts';

export function StageChart({ metrics }: { metrics: RunMetrics }) {
  const wall = Math.max(metrics.wallMs, 1);
  const slowest = Math.max(0, ...metrics.stages.map((s) => s.busyMs));
  return (
    <div className="ff-chart" aria-label="Time per stage">
      {metrics.stages.map((s) => (
        <div key={s.id} className={`ff-chart-row${s.busyMs === slowest && slowest > 0 ? ' slowest' : ''}`} title={`${s.nodes.join(' + ')}: ${s.busyMs.toFixed(0)} ms busy, ${s.fps.toFixed(1)} fps, average batch ${s.avgBatch.toFixed(1)}`}>
          <span className="ff-chart-label">
            {s.id} <span className="ff-hint">{s.nodes.join('+')}</span>
            {s.fused && <span className="ff-badge fused">fused</span>}
          </span>
          <div className="ff-chart-bar">
            <div style={{ width: `${Math.min(100, (s.busyMs / wall) * 100)}%` }} className={`kind-${s.kind}`} />
          </div>
          <span className="ff-chart-value">{(s.busyMs / 1000).toFixed(2)} s</span>
        </div>
      ))}
      <div className="ff-hint">
        wall {(metrics.wallMs / 1000).toFixed(2)} s · {metrics.fps.toFixed(1)} fps · efficiency {Math.round(metrics.efficiency * 100)}% · peak RSS {(metrics.peakRssBytes / 1024 ** 2).toFixed(0)} MiB
      </div>
    </div>
  );
}
