/**
 * The LiveView panel: while a live run goes, the processed frames beside the graph (and full
 * screen), with capture-to-display latency measured in this page, the server's own figures
 * (latency p50/p95, fps in and out, frames dropped per stage), and a Stop that ends the
 * stream so the run finishes normally.
 */
import { useRef } from 'react';
import type { RunRecord } from '../types.ts';
import { stopLive, type LiveFigures } from '../use-live-camera.ts';

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v.toFixed(0)} ms`);

export function LiveView({ run, image, figures, hasCamera }: { run: RunRecord; image: string | null; figures: LiveFigures; hasCamera: boolean }) {
  const frame = useRef<HTMLDivElement>(null);
  const live = run.metrics?.live;
  const drops = live ? Object.entries(live.droppedByStage).filter(([, n]) => n > 0) : [];
  return (
    <div className="ff-liveview" data-testid="live-view" ref={frame}>
      <div className="ff-liveview-head">
        <strong>Live</strong>
        {hasCamera && <span data-testid="live-camera">{figures.cameraOn ? 'camera on' : 'camera off'}</span>}
        <button type="button" onClick={() => void frame.current?.requestFullscreen()} title="Full screen">⛶</button>
        <button type="button" data-testid="live-stop" onClick={() => stopLive(run.id)} title="End the stream; the run finishes and keeps its outputs">Stop</button>
      </div>
      {image ? <img data-testid="live-image" src={image} alt="processed live frame" /> : <div className="ff-liveview-wait">waiting for frames…</div>}
      <dl className="ff-liveview-figures">
        {hasCamera && (
          <>
            <dt>in this page</dt>
            <dd data-testid="live-page-latency">
              p50 {ms(figures.p50)}, p95 {ms(figures.p95)}; {figures.fpsShown.toFixed(1)} fps shown
            </dd>
          </>
        )}
        <dt>server</dt>
        <dd data-testid="live-server-latency">
          p50 {ms(live?.latencyMs?.p50)}, p95 {ms(live?.latencyMs?.p95)}; {live ? `${live.fpsIn.toFixed(1)} fps in, ${live.fpsOut.toFixed(1)} fps out` : ''}
        </dd>
        <dt>dropped</dt>
        <dd data-testid="live-drops">{live ? `${live.dropped}${drops.length > 0 ? ` (${drops.map(([s, n]) => `${s} ${n}`).join(', ')})` : ''}` : '–'}</dd>
      </dl>
      {figures.error && <p className="ff-liveview-error">{figures.error}</p>}
    </div>
  );
}
