/**
 * A latency-first run's headline figures: end-to-end latency from capture (a live source
 * read the frame) to a sink (LiveView, Stream, Encoder), p50 and p95 over the latest
 * frames; frames per second in and out over the last few seconds; frames dropped per stage.
 * Everything here happens on the main thread (sources and sinks run there), so one clock
 * (performance.now) measures both ends.
 */
import { performance } from 'node:perf_hooks';
import type { LiveMetrics } from '../model/run-metrics.js';

/** How many latest latency samples the percentiles cover. */
const LATENCY_WINDOW = 600;
/** The span fps in/out are measured over, ms. */
const RATE_WINDOW_MS = 3000;

/** The value at quantile `q` (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Event times in a sliding window: a rate per second. */
class RateWindow {
  private readonly times: number[] = [];
  count = 0;

  add(at: number, n = 1): void {
    for (let i = 0; i < n; i++) this.times.push(at);
    this.count += n;
    this.trim(at);
  }

  perSecond(now: number): number {
    this.trim(now);
    if (this.times.length < 2) return 0;
    const span = Math.max(now - this.times[0]!, 1);
    return (this.times.length / span) * 1000;
  }

  private trim(now: number): void {
    let cut = 0;
    while (cut < this.times.length && now - this.times[cut]! > RATE_WINDOW_MS) cut++;
    if (cut > 0) this.times.splice(0, cut);
  }
}

export class LiveMeter {
  private readonly capturedAt = new Map<number, number>();
  private readonly latencies: number[] = [];
  private readonly rateIn = new RateWindow();
  private readonly rateOut = new RateWindow();
  /** The newest frame that reached a sink: with several sinks, a frame counts at the first. */
  private lastOut = -1;

  /** A live source delivered these frames, captured at these times (now when unknown). */
  captured(indices: readonly number[], at: readonly number[] | undefined): void {
    const now = performance.now();
    indices.forEach((index, i) => this.capturedAt.set(index, at?.[i] ?? now));
    this.rateIn.add(now, indices.length);
    // Frames dropped on the way never reach a sink: forget the oldest.
    if (this.capturedAt.size > 4 * LATENCY_WINDOW) {
      const oldest = [...this.capturedAt.keys()].slice(0, this.capturedAt.size - 2 * LATENCY_WINDOW);
      for (const key of oldest) this.capturedAt.delete(key);
    }
  }

  /** When these frames were captured (null for a frame not seen or forgotten). */
  captureTime(index: number): number | null {
    return this.capturedAt.get(index) ?? null;
  }

  /** Frames reached a sink. */
  reachedSink(indices: readonly number[]): void {
    const now = performance.now();
    let fresh = 0;
    for (const index of indices) {
      if (index <= this.lastOut) continue;
      this.lastOut = index;
      fresh++;
      const at = this.capturedAt.get(index);
      if (at === undefined) continue;
      this.latencies.push(now - at);
      if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    }
    this.rateOut.add(now, fresh);
  }

  snapshot(droppedByStage: Record<string, number>): LiveMetrics {
    const now = performance.now();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const dropped = Object.values(droppedByStage).reduce((a, b) => a + b, 0);
    return {
      latencyMs: sorted.length === 0 ? null : { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1]!, samples: sorted.length },
      fpsIn: this.rateIn.perSecond(now),
      fpsOut: this.rateOut.perSecond(now),
      framesIn: this.rateIn.count,
      framesOut: this.rateOut.count,
      droppedByStage,
      dropped,
    };
  }
}
