/** The plan as the readable table `framefuse plan` prints. */
import type { Plan } from '../model/plan.js';
import { portKey } from '../model/port-key.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}

export function formatPlan(plan: Plan): string {
  const rows = [['stage', 'kind', 'nodes', 'batch', 'fused', 'inputs', 'threads']];
  for (const s of plan.stages) {
    const batch = s.batchSetBy ? `${s.batchSize} (${s.batchSetBy}${s.deadlineMs ? `, ${s.deadlineMs} ms` : ''})` : String(s.batchSize);
    rows.push([
      s.id,
      s.streaming ? s.kind : `${s.kind} (once)`,
      s.nodes.join(' + '),
      batch,
      s.fused ? (s.composedBy ? `yes (${s.composedBy})` : 'yes') : '',
      s.inputs.map(portKey).join(', ') || (s.source ? '(source)' : '-'),
      s.kind === 'accelerator' || s.replicas > 1 ? `${s.threads}${s.replicas > 1 ? ` x${s.replicas} copies` : ''}` : '',
    ]);
  }
  const lines = [`plan for "${plan.graph}" (providers: ${plan.providers.join(', ')})`, `providers: ${plan.providerReason}`];
  if (plan.mode === 'latency') lines.push(`mode: latency first (${plan.modeReason ?? 'a live source'})`);
  lines.push('', table(rows));
  const fused = plan.stages.filter((s) => s.fused);
  if (fused.length > 0) {
    lines.push(
      '',
      ...fused.map((s) =>
        s.composedBy
          ? s.strategy === 'chained'
            ? `fused: ${s.nodes.join(' -> ')} by ${s.composedBy}, one session per part chained on the device, values kept there (${s.id}; ${s.strategyReason ?? ''})`
            : `fused: ${s.nodes.join(' -> ')} composed into one model by ${s.composedBy}: one session run per batch (${s.id}; ${s.strategyReason ?? ''})`
          : `fused: ${s.nodes.join(' -> ')} run as one batched call chain in one worker (${s.id}${s.composeDeclined ? `; not composed: ${s.composeDeclined}` : ''})`,
      ),
    );
  }
  for (const s of plan.stages) if (s.replicasNote) lines.push(`${s.id} ${s.nodes.join(' + ')}: ${s.replicasNote}`);
  for (const s of plan.stages) {
    if (s.kind !== 'accelerator' || !s.streaming) continue;
    lines.push(`${s.id} ${s.nodes.join(' + ')}: on ${s.providers.join(', ')}; batch ${s.batchSize} (${s.batchReason ?? ''})${s.tuned ? `; tuned: ${s.tuned}` : ''}`);
  }
  for (const p of plan.passThrough) {
    lines.push(`${p.node}: sets batch ${p.batchSize}, flush after ${p.deadlineMs} ms, for the nodes downstream of ${p.from.node}.${p.from.port}`);
  }
  return lines.join('\n');
}
