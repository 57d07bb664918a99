/**
 * Changes parameters of a running graph without restarting it: the editor's `live:set-param`
 * and the CLI's tests go through `setParam`, which accepts only parameters the node's
 * definition marks live-editable (src/model/param-roles.ts), checks the new value with the
 * node's own schema, and hands the parsed parameters to every copy of the node's stage
 * (a worker's copies take them before their next batch).
 */
import type { z } from 'zod';
import { userError } from '../errors.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import { isLiveEditable, liveEditableParams, paramRoles } from '../model/param-roles.js';
import { describeZodIssue } from '../model/zod-issue.js';

type Apply = (node: string, params: unknown) => Promise<void>;

export class LiveControl {
  private graph: ResolvedGraph | null = null;
  private apply: Apply | null = null;
  private readonly current = new Map<string, Record<string, unknown>>();

  /** The run attaches itself once its stages are open; until then, and after it, edits are refused. */
  attach(graph: ResolvedGraph, apply: Apply): void {
    this.graph = graph;
    this.apply = apply;
    for (const [id, node] of graph.nodes) this.current.set(id, { ...(node.params as Record<string, unknown>) });
  }

  detach(): void {
    this.apply = null;
  }

  get attached(): boolean {
    return this.apply !== null;
  }

  /** Sets `node.param` to `value` in the running graph; resolves once every copy of the node has it. */
  async setParam(node: string, param: string, value: unknown): Promise<void> {
    if (!this.graph || !this.apply) throw userError('FF_RUN_NOT_LIVE', 'the run is not running, so its parameters cannot change now', { node, field: param, fix: 'start the run, then change the parameter' });
    const resolved = this.graph.nodes.get(node);
    if (!resolved) throw userError('FF_UNKNOWN_NODE', `the running graph has no node "${node}"`, { node, fix: 'use the id of a node of the running graph' });
    const schema = resolved.definition.params as z.ZodObject;
    if (!(param in schema.shape)) throw userError('FF_UNKNOWN_PARAM', `${resolved.definition.type} has no parameter "${param}"`, { node, field: param });
    if (!isLiveEditable(paramRoles(schema).get(param) ?? null)) {
      const live = liveEditableParams(schema);
      throw userError('FF_PARAM_NOT_LIVE', `${resolved.definition.type}.${param} cannot change while the run goes`, {
        node,
        field: param,
        fix: live.length > 0 ? `change it after the run, or change one of ${live.join(', ')} live` : `${resolved.definition.type} has no live-editable parameters; change it after the run`,
      });
    }
    const next = { ...this.current.get(node), [param]: value };
    const parsed = schema.safeParse(next);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw userError('FF_PARAM_INVALID', `${node}.${param} ${describeZodIssue(issue)}`, { node, field: param });
    }
    await this.apply(node, parsed.data);
    this.current.set(node, next);
  }
}
