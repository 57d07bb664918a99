/** The plan as canvas shapes: one shaded box per stage around its nodes' current bounds. */
import type { StageNode } from './components/StageGroup.tsx';
import type { FfNode } from './graph-model.ts';
import type { Plan, RunMetrics } from './types.ts';

const PAD = 16;
const LABEL = 24;

export function stageGroups(plan: Plan | null, nodes: FfNode[], metrics: RunMetrics | null): StageNode[] {
  if (!plan) return [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const groups: StageNode[] = [];
  for (const stage of plan.stages) {
    const members = stage.nodes.map((id) => byId.get(id)).filter((n): n is FfNode => n !== undefined);
    if (members.length === 0) continue;
    const left = Math.min(...members.map((n) => n.position.x));
    const top = Math.min(...members.map((n) => n.position.y));
    const right = Math.max(...members.map((n) => n.position.x + (n.measured?.width ?? 220)));
    const bottom = Math.max(...members.map((n) => n.position.y + (n.measured?.height ?? 120)));
    const live = metrics?.stages.find((s) => s.id === stage.id);
    groups.push({
      id: `stage:${stage.id}`,
      type: 'stage',
      position: { x: left - PAD, y: top - PAD - LABEL },
      style: { width: right - left + 2 * PAD, height: bottom - top + 2 * PAD + LABEL },
      data: {
        label: stage.id,
        kind: stage.kind,
        fused: stage.fused,
        batchSize: stage.batchSize,
        copies: stage.replicas,
        copiesNote: stage.replicasNote ?? null,
        utilization: live ? live.utilization : null,
      },
      draggable: false,
      selectable: false,
      focusable: false,
      deletable: false,
      connectable: false,
      zIndex: -1,
    });
  }
  return groups;
}
