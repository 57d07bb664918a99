/**
 * Changes parameters of a running graph without restarting it: the editor's `live:set-param`
 * and the CLI's tests go through `setParam`, which accepts only parameters the node's
 * definition marks live-editable (src/model/param-roles.ts), checks the new value with the
 * node's own schema, checks a file it names as a run's files are checked (inside the
 * server's data folder when the server gave one, existing, a file), and hands the parsed
 * parameters to every copy of the node's stage (a worker's copies take them before their
 * next batch). A value that follows (an Image's new picture) reaches the nodes reading it.
 */
import type { z } from 'zod';
import { userError } from '../errors.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import { isLiveEditable, liveEditableParams, paramRoles } from '../model/param-roles.js';
import { describeZodIssue } from '../model/zod-issue.js';
import { checkFiles } from '../graph/check-files.js';
import type { NodePaths } from '../node-api/define-node.js';

type Apply = (node: string, params: unknown) => Promise<void>;

export interface LiveControlOptions {
  /** Every file a live edit names must lie inside this folder (the server's data folder). */
  confineTo?: string;
}

export class LiveControl {
  private graph: ResolvedGraph | null = null;
  private paths: NodePaths | null = null;
  private apply: Apply | null = null;
  private readonly current = new Map<string, Record<string, unknown>>();

  constructor(private readonly options: LiveControlOptions = {}) {}

  /** The run attaches itself once its stages are open; until then, and after it, edits are refused. */
  attach(graph: ResolvedGraph, paths: NodePaths, apply: Apply): void {
    this.graph = graph;
    this.paths = paths;
    this.apply = apply;
    for (const [id, node] of graph.nodes) this.current.set(id, { ...(node.params as Record<string, unknown>) });
  }

  detach(): void {
    this.apply = null;
  }

  get attached(): boolean {
    return this.apply !== null;
  }

  /**
   * Sets `node.param` to `value` in the running graph; resolves once every copy of the node
   * has it. Changes apply one at a time, in the order they came.
   */
  setParam(node: string, param: string, value: unknown): Promise<void> {
    const done = this.last.then(() => this.set(node, param, value));
    this.last = done.catch(() => undefined);
    return done;
  }

  private last: Promise<unknown> = Promise.resolve();

  private async set(node: string, param: string, value: unknown): Promise<void> {
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
    // A file it names: checked as the run's own files were (sandbox first, then the disk).
    // The node's other parameters were checked when the run started.
    if (paramRoles(schema).get(param)?.role === 'input-file') {
      const files = await checkFiles([{ ...resolved, rawParams: next, params: parsed.data }], {
        paths: this.paths!,
        ...(this.options.confineTo !== undefined ? { confineTo: this.options.confineTo } : {}),
      });
      const refused = files.problems.find((p) => p.severity === 'error' && p.field === param);
      if (refused) throw userError(refused.code, refused.message, { node, field: param });
    }
    if (!this.apply) throw userError('FF_RUN_NOT_LIVE', 'the run ended while the change was checked', { node, field: param });
    try {
      await this.apply(node, parsed.data);
    } catch (error) {
      // Refused part way (an Image loaded the new picture, the Swapper found no face in it):
      // the node takes its parameters back, so the run stays as it was.
      const before = schema.safeParse(this.current.get(node));
      if (before.success && this.apply) await this.apply(node, before.data).catch(() => undefined);
      throw error;
    }
    this.current.set(node, next);
  }
}
