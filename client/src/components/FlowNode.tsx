/**
 * A node on the canvas: typed, coloured ports; its parameters as widgets (NodeWidgets); its
 * problems (outline, and the messages on hover); its editor flags (bypassed: dimmed and
 * marked; collapsed: the title bar only, its handles kept on it; its colour); and, during a
 * run, its live state, fps and how full the queue in front of it is.
 */
import { memo, useEffect } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { NodeWidgets } from './NodeWidgets.tsx';
import { useEditorView } from '../editor-context.ts';
import type { FfNode } from '../graph-model.ts';

function FlowNodeView({ id, data, selected }: NodeProps<FfNode>) {
  const view = useEditorView();
  const def = view.catalog.nodes.find((n) => n.type === data.type);
  const issues = view.problemsByNode.get(id);
  const errors = issues?.problems.filter((p) => p.severity === 'error') ?? [];
  const warnings = issues?.problems.filter((p) => p.severity === 'warning') ?? [];
  const live = view.live.get(id);
  const color = (type: string) => view.catalog.portTypes[type]?.color ?? '#888';
  const title = issues ? issues.problems.map((p) => `${p.code}${p.field ? ` (${p.field})` : ''}: ${p.message}`).join('\n') : undefined;
  const updateInternals = useUpdateNodeInternals();
  // The handles move when the node collapses or expands: React Flow measures them again.
  useEffect(() => updateInternals(id), [data.collapsed, id, updateInternals]);
  const classes = ['ff-node', `kind-${def?.kind ?? 'unknown'}`, selected ? 'selected' : '', data.bypass ? 'bypassed' : '', data.collapsed ? 'collapsed' : '', errors.length ? 'has-error' : warnings.length ? 'has-warning' : '', live ? `live-${live.state}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} title={title} data-node-id={id} data-testid={`node-${id}`} style={data.color ? { borderColor: data.color } : undefined}>
      <div className="ff-node-header" style={data.color ? { background: `linear-gradient(180deg, ${data.color}cc, ${data.color}44)` } : undefined}>
        <span className="ff-node-title">{def?.title ?? data.type}</span>
        <span className="ff-node-id">{id}</span>
        {def?.kind === 'accelerator' && <span className="ff-badge accel" title="runs ONNX models in a worker thread, on the GPU when one is available; fuses with neighbouring model nodes">model</span>}
        {def?.kind === 'compute' && <span className="ff-badge accel" title="heavy work in a worker thread of its own">worker</span>}
        {!def && <span className="ff-badge err">unknown type</span>}
        {data.bypass && <span className="ff-badge bypass" title="bypassed: the node does not run; its inputs pass through to its outputs of the same type">bypassed</span>}
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
      {def && !data.collapsed && (
        <NodeWidgets nodeId={id} def={def} params={data.params} fieldProblems={issues?.params} onChange={(key, value) => view.setParam(id, key, value)} onInspect={() => view.inspect(id)} />
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
