/**
 * Run progress for a terminal: one line redrawn in place on a TTY (bar, frames, fps, ETA,
 * the busiest stage), plain lines every few seconds otherwise (logs, CI).
 */
import type { RunProgress } from '../run/run-events.js';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function progressLine(p: RunProgress, width = 24): string {
  const seconds = p.metrics.wallMs / 1000;
  const fps = seconds > 0 ? p.framesDone / seconds : 0;
  const total = p.framesTotal;
  const eta = total !== null && fps > 0 ? formatDuration((total - p.framesDone) / fps) : '--:--';
  const busiest = [...p.metrics.stages].sort((a, b) => b.busyMs - a.busyMs)[0];
  const hot = busiest ? `  busiest ${busiest.id} ${busiest.nodes.join('+')} ${(busiest.utilization * 100).toFixed(0)}%` : '';
  if (total === null || total === 0) return `${p.framesDone} frames  ${fps.toFixed(1)} fps${hot}`;
  const ratio = Math.min(1, p.framesDone / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.framesDone}/${total} frames  ${fps.toFixed(1)} fps  ETA ${eta}${hot}`;
}

export class ProgressPrinter {
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly plainEveryMs = 2000,
  ) {}

  update(p: RunProgress): void {
    const line = progressLine(p);
    if (this.stream.isTTY) {
      const columns = this.stream.columns ?? 100;
      this.stream.write(`\r${line.slice(0, columns - 1).padEnd(Math.min(columns - 1, line.length + 8))}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = now;
      this.stream.write(`progress ${line}\n`);
    }
  }

  /** Ends the redrawn line before other output. */
  clear(): void {
    if (this.drawn && this.stream.isTTY) this.stream.write('\n');
    this.drawn = false;
  }
}
