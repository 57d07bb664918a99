/**
 * The plan and metrics as clients see them: without the server's preview tap, with stage
 * ids renumbered so they match what POST /api/plan gives for the same graph.
 */
import type { Plan } from '../../src/model/plan.js';
import type { RunMetrics } from '../../src/model/run-metrics.js';
import { PREVIEW_NODE_ID } from './preview-tap.js';

function stageIdMap(plan: Plan): Map<string, string> {
  const map = new Map<string, string>();
  let n = 0;
  for (const stage of plan.stages) if (!stage.nodes.includes(PREVIEW_NODE_ID)) map.set(stage.id, `s${++n}`);
  return map;
}

export function visiblePlan(plan: Plan): Plan {
  const ids = stageIdMap(plan);
  return {
    ...plan,
    stages: plan.stages
      .filter((s) => ids.has(s.id))
      .map((s) => ({
        ...s,
        id: ids.get(s.id)!,
        after: s.after.filter((a) => ids.has(a)).map((a) => ids.get(a)!),
        outputs: s.outputs,
      })),
  };
}

export function visibleMetrics(metrics: RunMetrics, plan: Plan): RunMetrics {
  const ids = stageIdMap(plan);
  const nodes = { ...metrics.nodes };
  delete nodes[PREVIEW_NODE_ID];
  return {
    ...metrics,
    stages: metrics.stages
      .filter((s) => ids.has(s.id))
      .map((s) => ({ ...s, id: ids.get(s.id)!, queues: s.queues.filter((q) => !q.label.includes(PREVIEW_NODE_ID)) })),
    nodes,
  };
}
