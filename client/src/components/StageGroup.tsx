/** A stage of the plan, drawn behind its nodes: shaded, labelled with kind, batch size and copies, marked when fused. */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';

export interface StageGroupData extends Record<string, unknown> {
  label: string;
  kind: string;
  fused: boolean;
  batchSize: number;
  /** Copies of the stage working on alternate batches, and why there are fewer than cores (memory). */
  copies: number;
  copiesNote: string | null;
  utilization: number | null;
}

export type StageNode = Node<StageGroupData, 'stage'>;

function StageGroupView({ data }: NodeProps<StageNode>) {
  return (
    <div className={`ff-stage kind-${data.kind}${data.fused ? ' fused' : ''}`}>
      <div className="ff-stage-label">
        <b>{data.label}</b> {data.kind}
        {data.fused && <span className="ff-badge fused">fused</span>}
        {data.batchSize > 1 && <span className="ff-badge batch">batch {data.batchSize}</span>}
        {(data.copies > 1 || data.copiesNote) && (
          <span className="ff-badge copies" title={data.copiesNote ?? `${data.copies} copies work on alternate batches`}>
            x{data.copies}
          </span>
        )}
        {data.utilization !== null && <span className="ff-stage-util">{Math.round(data.utilization * 100)}% busy</span>}
      </div>
    </div>
  );
}

export const StageGroup = memo(StageGroupView);
