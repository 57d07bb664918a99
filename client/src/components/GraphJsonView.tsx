/**
 * The graph's JSON beside the canvas, as in VS Code: what the canvas shows, editable, checked
 * as you type by the same loader the server and the CLI use (syntax errors with line and
 * column, schema problems with the field), applied as one edit (one undo step). Also the
 * share link that carries the graph in the URL.
 */
import { useEffect, useMemo, useState } from 'react';
import { parseGraphText, serializeGraph } from '../../../src/model/parse-document.ts';
import { shareLink } from '../share-link.ts';
import type { GraphState } from '../use-graph.ts';
import type { Notify } from '../use-toasts.ts';

export function GraphJsonView({ graph, notify }: { graph: GraphState; notify: Notify }) {
  const shown = useMemo(() => serializeGraph(graph.document), [graph.document]);
  const [text, setText] = useState(shown);
  const [editing, setEditing] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  // While nothing was typed, the text follows the canvas.
  useEffect(() => {
    if (!editing) setText(shown);
  }, [shown, editing]);
  const result = useMemo(() => (editing ? parseGraphText(text) : null), [text, editing]);
  const apply = () => {
    if (!result?.document) return;
    graph.apply({ type: 'replaceDocument', doc: result.document });
    setEditing(false);
  };
  return (
    <div className="ff-json" data-testid="json-view">
      <div className="ff-json-actions">
        <button type="button" className="primary" disabled={!result?.document} onClick={apply} data-testid="json-apply">
          Apply
        </button>
        <button type="button" disabled={!editing} onClick={() => setEditing(false)}>
          Revert
        </button>
        <button
          type="button"
          data-testid="share-link"
          onClick={() => {
            void shareLink(graph.document, `${location.origin}${location.pathname}`).then((made) => {
              if ('error' in made) return notify('error', `No share link: ${made.error}`);
              setLink(made.url);
              void navigator.clipboard?.writeText(made.url).then(() => notify('ok', 'Share link copied: it carries the whole graph.'), () => undefined);
            });
          }}
        >
          Share link
        </button>
      </div>
      {link && <input className="ff-json-link" readOnly value={link} aria-label="Share link" onFocus={(e) => e.target.select()} />}
      <textarea
        className="ff-json-text"
        spellCheck={false}
        aria-label="Graph JSON"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setEditing(true);
        }}
      />
      <div className="ff-json-status" data-testid="json-status">
        {!editing && 'The JSON of the graph on the canvas. Edit it, then Apply.'}
        {result?.document && 'Valid graph JSON: Apply to put it on the canvas (one undo step).'}
        {result && !result.document && (
          <ul className="ff-json-problems">
            {result.problems.map((p, i) => (
              <li key={i}>
                <code>{p.code}</code> {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
