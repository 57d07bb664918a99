/**
 * Parameters edited on the node itself, as in ComfyUI: numbers, enums and toggles in place;
 * a file or model parameter shows its value and opens the side inspector's picker (which
 * uploads, lists by family and pulls). Other values (text, lists) are shown and edited in the
 * inspector. Every change is the same setParam edit the inspector makes.
 */
import { useEffect, useState } from 'react';
import { fieldKind } from '../form/schema-fields.ts';
import type { CatalogNode, JsonSchema } from '../types.ts';

interface Props {
  nodeId: string;
  def: CatalogNode;
  params: Record<string, unknown>;
  fieldProblems: Map<string, string> | undefined;
  onChange: (key: string, value: unknown) => void;
  onInspect: () => void;
}

const shortValue = (value: unknown) => {
  const text = typeof value === 'string' ? value.split('/').pop()! : JSON.stringify(value);
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
};

/** A number typed in place: committed on Enter or when the field loses the focus. */
function NumberWidget({ id, value, placeholder, integer, onCommit }: { id: string; value: unknown; placeholder: string; integer: boolean; onCommit: (v: number | undefined) => void }) {
  const shown = typeof value === 'number' ? String(value) : '';
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const commit = () => {
    // Leaving the field unchanged is no edit (else a click through the node makes an undo step).
    if (text.trim() === shown.trim()) return;
    if (text.trim() === '') return onCommit(undefined);
    const n = Number(text);
    if (Number.isFinite(n) && (!integer || Number.isInteger(n))) onCommit(n);
    else setText(shown);
  };
  return (
    <input
      id={id}
      className="nodrag ff-widget-input"
      inputMode="decimal"
      value={text}
      placeholder={placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
    />
  );
}

export function NodeWidgets({ nodeId, def, params, fieldProblems, onChange, onInspect }: Props) {
  const properties = Object.entries(def.params.properties ?? {}) as [string, JsonSchema][];
  if (properties.length === 0) return null;
  return (
    <div className="ff-node-params ff-widgets" data-testid={`widgets-${nodeId}`}>
      {properties.map(([key, schema]) => {
        const kind = fieldKind(schema);
        const value = params[key];
        const fallback = schema.default;
        const id = `widget-${nodeId}-${key}`;
        const placeholder = fallback === undefined || fallback === null ? '' : String(fallback);
        let field;
        switch (kind.kind) {
          case 'number':
            field = <NumberWidget id={id} value={value} placeholder={placeholder || (kind.nullable ? 'auto' : '')} integer={kind.integer} onCommit={(v) => onChange(key, v)} />;
            break;
          case 'enum':
            field = (
              <select id={id} className="nodrag ff-widget-input" value={value === undefined ? '' : JSON.stringify(value)} onChange={(e) => onChange(key, e.target.value === '' ? undefined : (JSON.parse(e.target.value) as unknown))}>
                <option value="">{placeholder ? `${placeholder} (default)` : '—'}</option>
                {kind.options.map((o) => (
                  <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
                    {String(o)}
                  </option>
                ))}
              </select>
            );
            break;
          case 'boolean':
            field = <input id={id} type="checkbox" className="nodrag" checked={(value ?? fallback) === true} onChange={(e) => onChange(key, e.target.checked)} />;
            break;
          case 'path':
          case 'model':
            field = (
              <button type="button" id={id} className="nodrag ff-widget-pick" title={`Choose in the inspector: ${String(value ?? fallback ?? '')}`} onClick={onInspect}>
                {value === undefined || value === null || value === '' ? (placeholder ? shortValue(placeholder) : 'choose…') : shortValue(value)}
              </button>
            );
            break;
          default:
            if (value === undefined && fallback === undefined) return null;
            field = (
              <button type="button" id={id} className="nodrag ff-widget-pick" title="Edit in the inspector" onClick={onInspect}>
                {shortValue(value ?? fallback)}
              </button>
            );
        }
        const problem = fieldProblems?.get(key);
        return (
          <label key={key} htmlFor={id} className={`ff-widget${problem ? ' has-error' : ''}`} title={problem ?? (schema.description as string | undefined) ?? key}>
            <span>{key}</span>
            {field}
          </label>
        );
      })}
    </div>
  );
}
