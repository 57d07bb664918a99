/**
 * The file browser behind a file field's "Browse…": the videos and images in the data
 * folders (uploads/, samples/, outputs/), as thumbnails made on the server (an image scaled
 * down, a video's poster frame with its duration). Picking one sets the field.
 */
import { useEffect, useState } from 'react';
import { api, mediaUrl, type FileEntry } from '../api.ts';

interface Props {
  /** Only videos, only images, or both. */
  kind: 'video' | 'image' | null;
  onPick: (path: string) => void;
  onClose: () => void;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function FileBrowser({ kind, onPick, onClose }: Props) {
  const [files, setFiles] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.files().then((r) => setFiles(r.files.filter((f) => kind === null || f.kind === kind)), (e: Error) => setError(e.message));
  }, [kind]);
  const folders = [...new Set((files ?? []).map((f) => f.folder))];
  return (
    <div className="ff-modal-backdrop" onClick={onClose}>
      <div className="ff-modal ff-file-browser" role="dialog" aria-label="Choose a file" data-testid="file-browser" onClick={(e) => e.stopPropagation()}>
        <div className="ff-run-head">
          <b>Choose a {kind ?? 'file'}</b>
          <button type="button" className="ff-small" onClick={onClose}>
            Close
          </button>
        </div>
        {error && <div className="ff-field-error">{error}</div>}
        {files === null && !error && <p className="ff-hint">Loading…</p>}
        {files?.length === 0 && <p className="ff-hint">No {kind ?? 'media'} files in uploads/, samples/ or outputs/ yet: upload one.</p>}
        {folders.map((folder) => (
          <section key={folder}>
            <h4>{folder}/</h4>
            <div className="ff-file-grid">
              {files!
                .filter((f) => f.folder === folder)
                .map((f) => (
                  <button type="button" key={f.path} className="ff-file-tile" data-testid="file-tile" data-path={f.path} onClick={() => onPick(f.path)} title={f.path}>
                    <img src={mediaUrl(f.thumbnail)} alt="" loading="lazy" />
                    <span className="ff-file-name">{f.path.slice(folder.length + 1)}</span>
                    {f.duration !== null && (
                      <span className="ff-file-duration" data-testid="file-duration">
                        {duration(f.duration)}
                      </span>
                    )}
                  </button>
                ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}
