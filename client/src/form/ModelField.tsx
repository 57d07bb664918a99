/** A model from the manifest: present ones marked, missing ones with a Pull button and its progress. */
import type { ModelListing } from '../types.ts';

interface Props {
  id: string;
  value: string | undefined;
  placeholder: string;
  models: ModelListing[];
  progress: Record<string, number | null>;
  onPull: (id: string) => void;
  onChange: (value: string | undefined) => void;
}

export function ModelField({ id, value, placeholder, models, progress, onPull, onChange }: Props) {
  const chosen = models.find((m) => m.id === (value ?? placeholder));
  const pct = chosen ? progress[chosen.id] : undefined;
  return (
    <div className="ff-model">
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{placeholder ? `default (${placeholder})` : '—'}</option>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.present ? '● ' : '○ '}
            {m.id} {m.present ? '' : m.origin === 'prepare' ? '(converted on first use)' : '(missing)'}
          </option>
        ))}
        {value && !models.some((m) => m.id === value) && <option value={value}>{value} (path)</option>}
      </select>
      {chosen && !chosen.present && chosen.origin === 'prepare' && (
        <span className="ff-badge ok" data-testid="model-prepared-on-use" title="framefuse converts it from the npm package it ships in the first time a run needs it">
          converted on first use
        </span>
      )}
      {chosen && !chosen.present && chosen.origin !== 'prepare' && (
        <div className="ff-model-missing">
          <span className="ff-badge err">missing</span>
          {chosen.downloadable ? (
            <button type="button" className="ff-small" disabled={pct !== undefined} onClick={() => onPull(chosen.id)}>
              {pct === undefined ? 'Pull' : pct === null ? 'Pulling…' : `Pulling ${Math.round(pct * 100)}%`}
            </button>
          ) : (
            <span className="ff-hint">ships with framefuse; restore it from the repository</span>
          )}
        </div>
      )}
      {chosen?.present && <span className="ff-badge ok">present</span>}
    </div>
  );
}
