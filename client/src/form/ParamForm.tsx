/**
 * The parameter form of one node, generated from its JSON Schema: numbers (with sliders
 * for ranges), selects for enums, checkboxes, file pickers that upload, model pickers.
 * An empty field means "the default", shown as the placeholder; problems of a field are
 * shown under it.
 */
import type { CatalogNode, JsonSchema, ModelListing, UploadListing } from '../types.ts';
import { MODEL_FAMILY_TASK, type ModelFamily } from '../../../src/model/param-roles.ts';
import { fieldKind } from './schema-fields.ts';
import { NumberField } from './NumberField.tsx';
import { PathField } from './PathField.tsx';
import { ModelField } from './ModelField.tsx';

export interface ParamFormProps {
  nodeId: string;
  def: CatalogNode;
  params: Record<string, unknown>;
  fieldProblems: Map<string, string>;
  uploads: UploadListing[];
  models: ModelListing[];
  modelProgress: Record<string, number | null>;
  onUploaded: () => void;
  onPull: (id: string) => void;
  onChange: (key: string, value: unknown) => void;
}

/** The models a picker of `family` offers: the manifest's models of that family's task. */
function modelsOf(models: ModelListing[], family: string | null): ModelListing[] {
  const task = family ? MODEL_FAMILY_TASK[family as ModelFamily] : undefined;
  return task ? models.filter((m) => m.task === task) : models;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ParamForm({ nodeId, def, params, fieldProblems, uploads, models, modelProgress, onUploaded, onPull, onChange }: ParamFormProps) {
  const properties = Object.entries(def.params.properties ?? {}) as [string, JsonSchema][];
  if (properties.length === 0) return <p className="ff-hint">This node has no parameters.</p>;
  const required = new Set(def.params.required ?? []);
  return (
    <form className="ff-form" onSubmit={(e) => e.preventDefault()}>
      {properties.map(([key, schema]) => {
        const id = `param-${nodeId}-${key}`;
        const kind = fieldKind(schema);
        const value = params[key];
        const placeholder = show(schema.default);
        const problem = fieldProblems.get(key);
        let field;
        switch (kind.kind) {
          case 'number':
            field = <NumberField id={id} value={value as number | null | undefined} placeholder={placeholder || (kind.nullable ? 'auto' : '')} integer={kind.integer} {...(kind.min !== undefined ? { min: kind.min } : {})} {...(kind.max !== undefined ? { max: kind.max } : {})} nullable={kind.nullable} onChange={(v) => onChange(key, v)} />;
            break;
          case 'enum':
            field = (
              <select id={id} value={value === undefined ? '' : JSON.stringify(value)} onChange={(e) => onChange(key, e.target.value === '' ? undefined : (JSON.parse(e.target.value) as unknown))}>
                <option value="">{placeholder ? `default (${placeholder})` : '—'}</option>
                {kind.options.map((o) => (
                  <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
                    {show(o)}
                  </option>
                ))}
              </select>
            );
            break;
          case 'boolean':
            field = (
              <label className="ff-check">
                <input id={id} type="checkbox" checked={(value ?? schema.default ?? false) === true} onChange={(e) => onChange(key, e.target.checked)} />
                {value === undefined ? <span className="ff-hint">default</span> : null}
              </label>
            );
            break;
          case 'path':
            field = <PathField id={id} value={value as string | undefined} placeholder={placeholder} uploads={uploads} onUploaded={onUploaded} onChange={(v) => onChange(key, v)} {...(kind.browse !== undefined ? { browse: kind.browse } : {})} />;
            break;
          case 'model':
            field = <ModelField id={id} value={value as string | undefined} placeholder={placeholder} models={modelsOf(models, kind.family)} progress={modelProgress} onPull={onPull} onChange={(v) => onChange(key, v)} />;
            break;
          case 'string':
            field = <input id={id} type="text" value={(value as string | undefined) ?? ''} placeholder={placeholder} onChange={(e) => onChange(key, e.target.value === '' ? undefined : e.target.value)} />;
            break;
          default:
            field = (
              <textarea
                id={id}
                defaultValue={value === undefined ? '' : JSON.stringify(value, null, 1)}
                placeholder={placeholder}
                onBlur={(e) => {
                  try {
                    onChange(key, e.target.value.trim() === '' ? undefined : (JSON.parse(e.target.value) as unknown));
                  } catch {
                    /* keep the last valid value; the outline shows the problem */
                  }
                }}
              />
            );
        }
        return (
          <div className={`ff-field${problem ? ' has-problem' : ''}`} key={key} data-param={key}>
            <label htmlFor={id} title={schema.description}>
              {key}
              {required.has(key) && schema.default === undefined ? <span className="ff-required">*</span> : null}
              {value !== undefined && (
                <button type="button" className="ff-reset" title="reset to the default" onClick={() => onChange(key, undefined)}>
                  ↺
                </button>
              )}
            </label>
            {field}
            {schema.description && <div className="ff-hint">{schema.description}</div>}
            {problem && <div className="ff-field-error">{problem}</div>}
          </div>
        );
      })}
    </form>
  );
}
