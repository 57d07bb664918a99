/**
 * The editor's side of a live run: while this tab's run has a browser Camera, the page's
 * camera (getUserMedia) is read into a canvas and each frame is sent as raw RGBA over the
 * socket (`live:frame`, one in flight at a time, so a slow server gets fewer frames rather
 * than a backlog); the processed frames (`live:view`) come back as JPEG, each with the send
 * time of the frame it was made from, so the page measures capture to display itself.
 * When the run ends, or the tab leaves it, the camera's tracks are stopped.
 */
import { useEffect, useRef, useState } from 'react';
import { zLiveView } from '../../src/model/live-events.ts';
import { cameraSourceKind } from '../../src/model/camera-source.ts';
import { liveSocket } from './live.ts';
import type { GraphDocument, RunRecord } from './types.ts';

export interface LiveFigures {
  /** Capture in this page to display in this page, ms. */
  p50: number | null;
  p95: number | null;
  framesSent: number;
  framesShown: number;
  /** Processed frames per second shown here, over the last second or two. */
  fpsShown: number;
  cameraOn: boolean;
  error: string | null;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;

/** The browser Camera nodes of a document, with the frame size each asks for. */
export function browserCameras(doc: GraphDocument): { id: string; width: number; height: number }[] {
  return doc.nodes
    .filter((n) => n.type === 'Camera' && cameraSourceKind(n.params as { source?: string; url?: string }) === 'browser')
    .map((n) => ({ id: n.id, width: Number((n.params as { width?: number }).width ?? 640), height: Number((n.params as { height?: number }).height ?? 480) }));
}

export function useLiveCamera(run: RunRecord | null, doc: GraphDocument) {
  const [image, setImage] = useState<string | null>(null);
  const [figures, setFigures] = useState<LiveFigures>({ p50: null, p95: null, framesSent: 0, framesShown: 0, fpsShown: 0, cameraOn: false, error: null });
  const imageUrl = useRef<string | null>(null);
  const running = run?.status === 'running' && run.plan?.mode === 'latency';
  const runId = running ? run.id : null;
  const cameras = running ? browserCameras(doc) : [];
  const camera = cameras[0] ?? null;

  // Processed frames for this run.
  useEffect(() => {
    if (!runId) return;
    // A new run starts with no picture: the last run's frame is not this run's.
    setImage(null);
    setFigures((f) => ({ ...f, p50: null, p95: null, framesShown: 0, fpsShown: 0 }));
    const socket = liveSocket();
    const latencies: number[] = [];
    const shownAt: number[] = [];
    let shown = 0;
    const onView = (payload: unknown) => {
      const parsed = zLiveView.safeParse(payload);
      if (!parsed.success || parsed.data.runId !== runId) return;
      const now = performance.now();
      const url = URL.createObjectURL(new Blob([parsed.data.data as BlobPart], { type: 'image/jpeg' }));
      if (imageUrl.current) URL.revokeObjectURL(imageUrl.current);
      imageUrl.current = url;
      setImage(url);
      shown++;
      shownAt.push(now);
      while (shownAt.length > 0 && now - shownAt[0]! > 2000) shownAt.shift();
      if (parsed.data.echo) {
        latencies.push(now - parsed.data.echo.sentAt);
        if (latencies.length > 300) latencies.shift();
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      setFigures((f) => ({ ...f, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), framesShown: shown, fpsShown: shownAt.length > 1 ? ((shownAt.length - 1) * 1000) / Math.max(1, now - shownAt[0]!) : 0 }));
    };
    socket.on('live:view', onView);
    return () => {
      socket.off('live:view', onView);
    };
  }, [runId]);

  // The camera, while the run goes.
  const cameraId = camera?.id ?? null;
  const width = camera?.width ?? 640;
  const height = camera?.height ?? 480;
  useEffect(() => {
    if (!runId || !cameraId) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    const socket = liveSocket();
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    let seq = 0;
    const send = async () => {
      while (!stopped) {
        if (video.readyState >= 2) {
          context.drawImage(video, 0, 0, width, height);
          const data = context.getImageData(0, 0, width, height).data;
          const answer = (await socket
            .timeout(5000)
            .emitWithAck('live:frame', { runId, node: cameraId, seq: seq++, sentAt: performance.now(), width, height, format: 'rgba', data: new Uint8Array(data.buffer) })
            .catch(() => ({ ok: false }))) as { ok: boolean; error?: { message: string } };
          if (!answer.ok && answer.error) setFigures((f) => ({ ...f, error: answer.error!.message }));
          setFigures((f) => ({ ...f, framesSent: seq }));
        }
        // About 25 frames a second at most; the ack already paces a slower server.
        await new Promise((r) => setTimeout(r, 40));
      }
    };
    navigator.mediaDevices
      .getUserMedia({ video: { width, height }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        video.srcObject = s;
        await video.play();
        setFigures((f) => ({ ...f, cameraOn: true, error: null }));
        void send();
      })
      .catch((error: Error) => setFigures((f) => ({ ...f, error: `the camera could not be opened: ${error.message}` })));
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
      video.srcObject = null;
      setFigures((f) => ({ ...f, cameraOn: false }));
    };
  }, [runId, cameraId, width, height]);

  useEffect(() => () => {
    if (imageUrl.current) URL.revokeObjectURL(imageUrl.current);
  }, []);

  return { running, image, figures, hasCamera: camera !== null };
}

/** Sends a live-editable parameter's new value to the running graph (answered with ok or why not). */
export function sendLiveParam(runId: string, node: string, param: string, value: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return liveSocket().timeout(5000).emitWithAck('live:set-param', { runId, node, param, value }) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
}

/** Ends the run's live streams; the run then finishes normally. */
export function stopLive(runId: string): void {
  liveSocket().emit('live:stop', { runId }, () => undefined);
}
