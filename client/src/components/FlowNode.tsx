/**
 * A node on the canvas: typed, coloured ports; a short summary of its parameters; its
 * problems (outline, and the messages on hover); and, during a run, its live state, fps
 * and how full the queue in front of it is.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useEditorView } from '../editor-context.ts';
import type { FfNode } from '../graph-model.ts';
import type { CatalogNode, JsonSchema } from '../types.ts';

function summary(def: CatalogNode | undefined, params: Record<string, unknown>): [string, string][] {
  const props = def?.params.properties ?? {};
  const shown: [string, string][] = [];
  for (const [key, schema] of Object.entries(props)) {
    const value = params[key] ?? (schema as JsonSchema).default;
    if (value === undefined || value === null || value === '') continue;
    const text = typeof value === 'string' ? value.split('/').pop()! : JSON.stringify(value);
    shown.push([key, text.length > 22 ? `${text.slice(0, 21)}…` : text]);
    if (shown.length === 3) break;
  }
  return shown;
}

function FlowNodeView({ id, data, selected }: NodeProps<FfNode>) {
  const view = useEditorView();
  const def = view.catalog.nodes.find((n) => n.type === data.type);
  const issues = view.problemsByNode.get(id);
  const errors = issues?.problems.filter((p) => p.severity === 'error') ?? [];
  const warnings = issues?.problems.filter((p) => p.severity === 'warning') ?? [];
  const live = view.live.get(id);
  const color = (type: string) => view.catalog.portTypes[type]?.color ?? '#888';
  const title = issues ? issues.problems.map((p) => `${p.code}${p.field ? ` (${p.field})` : ''}: ${p.message}`).join('\n') : undefined;
  const classes = ['ff-node', `kind-${def?.kind ?? 'unknown'}`, selected ? 'selected' : '', errors.length ? 'has-error' : warnings.length ? 'has-warning' : '', live ? `live-${live.state}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} title={title} data-node-id={id} data-testid={`node-${id}`}>
      <div className="ff-node-header">
        <span className="ff-node-title">{def?.title ?? data.type}</span>
        <span className="ff-node-id">{id}</span>
        {def?.kind === 'accelerator' && <span className="ff-badge accel" title="runs ONNX models in a worker thread, on the GPU when one is available; fuses with neighbouring model nodes">model</span>}
        {def?.kind === 'compute' && <span className="ff-badge accel" title="heavy work in a worker thread of its own">worker</span>}
        {!def && <span className="ff-badge err">unknown type</span>}
      </div>
      <div className="ff-node-ports">
        <div className="ff-ports-in">
          {(def?.inputs ?? []).map((p) => (
            <div className="ff-port in" key={p.name} title={`${p.type}: ${p.description}`}>
              <Handle type="target" position={Position.Left} id={p.name} className={`ff-handle rate-${p.rate}`} style={{ background: color(p.type), borderColor: color(p.type) }} />
              <span className="ff-port-name">{p.name}</span>
              <span className="ff-port-type" style={{ color: color(p.type) }}>
                {p.type}
                {p.optional ? '?' : ''}
              </span>
            </div>
          ))}
        </div>
        <div className="ff-ports-out">
          {(def?.outputs ?? []).map((p) => (
            <div className="ff-port out" key={p.name} title={`${p.type}: ${p.description}`}>
              <span className="ff-port-type" style={{ color: color(p.type) }}>
                {p.type}
              </span>
              <span className="ff-port-name">{p.name}</span>
              <Handle type="source" position={Position.Right} id={p.name} className={`ff-handle rate-${p.rate}`} style={{ background: color(p.type), borderColor: color(p.type) }} />
            </div>
          ))}
        </div>
      </div>
      {summary(def, data.params).length > 0 && (
        <div className="ff-node-params">
          {summary(def, data.params).map(([k, v]) => (
            <div key={k} className="ff-param-row">
              <span>{k}</span>
              <span className="ff-param-value">{v}</span>
            </div>
          ))}
        </div>
      )}
      {errors.length > 0 && <div className="ff-node-problem">{errors[0]!.message}{errors.length > 1 ? ` (+${errors.length - 1})` : ''}</div>}
      {live && (
        <div className="ff-node-live" data-state={live.state}>
          <span className={`ff-state ${live.state}`}>{live.state}</span>
          <span className="ff-fps">{live.fps > 0 ? `${live.fps.toFixed(1)} fps` : ''}</span>
          <span className="ff-frames">{live.framesOut > 0 ? `${live.framesOut} fr` : ''}</span>
          <div className="ff-queue" title={`queue in front: ${Math.round(live.queue * 100)}% full`}>
            <div style={{ width: `${Math.round(live.queue * 100)}%` }} />
          </div>
        </div>
      )}
    </div>
  );
}

export const FlowNode = memo(FlowNodeView);
