/**
 * The missing-models dialog: every model the open graph names (any node's model parameter,
 * its value or its default) that is not on the server, with its size and license, and one
 * "Download all" that starts the server's pulls (src/models: progress, resume, hash check)
 * through use-model-pulls.ts. A bar over the canvas opens it while anything is missing.
 * Models converted from an npm package on first use are not missing.
 */
import { useMemo, useState } from 'react';
import { fieldKind, schemaDefault } from '../form/schema-fields.ts';
import type { GraphDocument, JsonSchema, ModelListing, NodeCatalog } from '../types.ts';

interface Missing {
  model: ModelListing;
  /** node.param that name it */
  usedBy: string[];
}

/** The models the graph names that the server lacks (and can download or not). */
export function missingModels(document: GraphDocument, catalog: NodeCatalog, models: ModelListing[]): Missing[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  const found = new Map<string, Missing>();
  for (const node of document.nodes) {
    const def = catalog.nodes.find((n) => n.type === node.type);
    for (const [key, schema] of Object.entries(def?.params.properties ?? {}) as [string, JsonSchema][]) {
      if (fieldKind(schema).kind !== 'model') continue;
      const id = (node.params as Record<string, unknown>)[key] ?? schemaDefault(schema);
      const model = typeof id === 'string' ? byId.get(id) : undefined;
      if (!model || model.present || model.origin === 'prepare') continue;
      const entry = found.get(model.id) ?? { model, usedBy: [] };
      entry.usedBy.push(`${node.id}.${key}`);
      found.set(model.id, entry);
    }
  }
  return [...found.values()];
}

function size(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  return bytes > 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

interface Props {
  document: GraphDocument;
  catalog: NodeCatalog;
  models: ModelListing[];
  progress: Record<string, number | null>;
  onPull: (id: string) => void;
}

/** The bar (while something is missing) and the dialog it opens. */
export function MissingModels({ document, catalog, models, progress, onPull }: Props) {
  const [open, setOpen] = useState(false);
  const missing = useMemo(() => missingModels(document, catalog, models), [document, catalog, models]);
  if (missing.length === 0 && !open) return null;
  const downloadable = missing.filter((m) => m.model.downloadable && !(m.model.id in progress) && !m.model.pulling);
  const total = missing.reduce((n, m) => n + (m.model.size ?? 0), 0);
  return (
    <>
      {missing.length > 0 && (
        <div className="ff-missing-bar" data-testid="missing-models-bar">
          {missing.length} model{missing.length > 1 ? 's' : ''} this graph needs {missing.length > 1 ? 'are' : 'is'} missing{' '}
          <button type="button" className="ff-small" onClick={() => setOpen(true)} data-testid="missing-models-open">
            Show…
          </button>
        </div>
      )}
      {open && (
        <div className="ff-modal-backdrop" onClick={() => setOpen(false)}>
          <div className="ff-modal ff-missing" role="dialog" aria-label="Missing models" data-testid="missing-models" onClick={(e) => e.stopPropagation()}>
            <h2>Missing models</h2>
            {missing.length === 0 ? (
              <p data-testid="missing-none">Every model this graph needs is here.</p>
            ) : (
              <table>
                <tbody>
                  {missing.map(({ model, usedBy }) => (
                    <tr key={model.id} data-testid="missing-model" data-id={model.id}>
                      <td>
                        <b>{model.id}</b>
                        <div className="ff-hint">{usedBy.join(', ')}</div>
                      </td>
                      <td data-testid="missing-size">{size(model.size)}</td>
                      <td data-testid="missing-license">{model.license}</td>
                      <td data-testid="missing-state">
                        {model.id in progress
                          ? progress[model.id] === null
                            ? 'starting…'
                            : `${Math.floor((progress[model.id] ?? 0) * 100)}%`
                          : model.downloadable
                            ? 'missing'
                            : 'no download: see docs/models.md'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="ff-run-head">
              <button type="button" className="primary" disabled={downloadable.length === 0} onClick={() => downloadable.forEach((m) => onPull(m.model.id))} data-testid="missing-download-all">
                Download all ({size(total)})
              </button>
              <button type="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
