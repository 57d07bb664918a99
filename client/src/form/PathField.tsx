/** A file path inside the data folder: typed, picked from earlier uploads or in the file browser, or uploaded now. */
import { useRef, useState } from 'react';
import { api, ApiError } from '../api.ts';
import type { UploadListing } from '../types.ts';
import { FileBrowser } from '../components/FileBrowser.tsx';

interface Props {
  id: string;
  value: string | undefined;
  placeholder: string;
  uploads: UploadListing[];
  onUploaded: () => void;
  onChange: (value: string | undefined) => void;
  /** A file the node reads: "Browse…" opens the file browser on these media (null: all). */
  browse?: 'video' | 'image' | null;
}

export function PathField({ id, value, placeholder, uploads, onUploaded, onChange, browse }: Props) {
  const [browsing, setBrowsing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File) => {
    setBusy(`uploading ${file.name}…`);
    setError(null);
    try {
      const done = await api.upload(file);
      onChange(done.path);
      onUploaded();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="ff-path">
      <div className="ff-path-row">
        <input id={id} type="text" list={`${id}-uploads`} value={value ?? ''} placeholder={placeholder || 'path in the data folder'} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
        <button type="button" className="ff-small" onClick={() => input.current?.click()} title="Upload a video or image into uploads/">
          Upload…
        </button>
        {browse !== undefined && (
          <button type="button" className="ff-small" onClick={() => setBrowsing(true)} title="Choose from uploads/, samples/ and outputs/" data-testid={`${id}-browse`}>
            Browse…
          </button>
        )}
      </div>
      {browsing && browse !== undefined && (
        <FileBrowser
          kind={browse}
          onClose={() => setBrowsing(false)}
          onPick={(path) => {
            onChange(path);
            setBrowsing(false);
          }}
        />
      )}
      <datalist id={`${id}-uploads`}>
        {uploads.map((u) => (
          <option key={u.path} value={u.path}>
            {u.kind}
          </option>
        ))}
      </datalist>
      <input
        ref={input}
        type="file"
        hidden
        accept="video/*,image/*"
        data-testid={`${id}-file`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
          e.target.value = '';
        }}
      />
      {busy && <div className="ff-hint">{busy}</div>}
      {error && <div className="ff-field-error">{error}</div>}
    </div>
  );
}
