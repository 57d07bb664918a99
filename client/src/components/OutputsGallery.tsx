/**
 * The outputs gallery (side panel "Outputs" tab): the videos and images runs wrote into the
 * outputs folder, newest first, playable and downloadable, each with "Open graph", which
 * opens the graph the file carries (the Encoder's embedded tag, read by the server).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, mediaUrl, type OutputListing } from '../api.ts';
import type { GraphDocument } from '../types.ts';

const VIDEO = /\.(mp4|m4v|mov|mkv|webm)$/i;
const IMAGE = /\.(png|jpe?g|webp)$/i;

function size(bytes: number): string {
  return bytes > 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

interface Props {
  onOpenGraph: (document: GraphDocument, from: string) => void;
  onError: (message: string) => void;
}

export function OutputsGallery({ onOpenGraph, onError }: Props) {
  const [outputs, setOutputs] = useState<OutputListing[] | null>(null);
  const refresh = useCallback(() => {
    api.outputs().then((r) => setOutputs(r.outputs.filter((o) => VIDEO.test(o.path) || IMAGE.test(o.path))), (e: Error) => onError(`Cannot list the outputs: ${e.message}`));
  }, [onError]);
  useEffect(refresh, [refresh]);
  const openGraph = async (o: OutputListing) => {
    try {
      onOpenGraph((await api.embeddedGraph(o.dataPath)).document, o.path);
    } catch (e) {
      onError(e instanceof ApiError && e.code === 'FF_NO_EMBEDDED_GRAPH' ? `${o.path} carries no graph (it was not written by a framefuse Encoder)` : (e as Error).message);
    }
  };
  if (outputs === null) return <p className="ff-hint">Loading the outputs…</p>;
  return (
    <div className="ff-gallery" data-testid="outputs-gallery">
      <div className="ff-run-head">
        <span className="ff-hint">{outputs.length} file{outputs.length === 1 ? '' : 's'} in outputs/</span>
        <button type="button" className="ff-small" onClick={refresh} data-testid="outputs-refresh">
          Refresh
        </button>
      </div>
      {outputs.length === 0 && <p className="ff-hint">Videos and images your runs write to outputs/ appear here.</p>}
      {outputs.map((o) => (
        <figure key={o.path} className="ff-gallery-item" data-testid="gallery-item" data-path={o.path}>
          {VIDEO.test(o.path) ? <video src={mediaUrl(o.url)} controls muted preload="metadata" playsInline /> : <img src={mediaUrl(o.url)} alt={o.path} loading="lazy" />}
          <figcaption>
            <span title={o.modified}>{o.path}</span> <span className="ff-hint">({size(o.size)})</span>
            <span className="ff-gallery-actions">
              <a href={mediaUrl(`${o.url}?download`)} className="ff-download" data-testid="gallery-download">
                ⤓ Download
              </a>
              {VIDEO.test(o.path) && (
                <button type="button" className="ff-link" onClick={() => void openGraph(o)} data-testid="gallery-open-graph">
                  Open graph
                </button>
              )}
            </span>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
