/**
 * The nodes of one stage and the wiring between them: creates the instances, opens them in
 * order, runs a batch through them, finishes and disposes them. The same code runs on the
 * main thread (host and media stages) and inside a worker (accelerator stages), so a fused
 * chain behaves the same wherever it runs.
 */
import { performance } from 'node:perf_hooks';
import type { FramefuseError } from '../errors.js';
import type { FusedInstance, LiveHooks, NodeContext, NodeInstance, SourceChunk } from '../node-api/define-node.js';
import { nodeOfKey, portKey, portOfKey } from '../model/port-key.js';
import { modelMs } from '../runtime/model-clock.js';
import { withPassedThroughFacts } from './stream-facts.js';
import { emptyNodeStats, recordBatch, type NodeStats } from './stage-stats.js';
import { fuseStage, openFused, processFused } from './fused-stage.js';
import { attribute, memberInputs, type LogSink, type MemberInputs, type StageBatch, type StageNode, type StageSpec } from './stage-spec.js';

export class StageCore {
  private readonly instances = new Map<string, NodeInstance>();
  /** Set when the stage's fusion family composed its nodes into one instance. */
  private fused: FusedInstance | null = null;
  readonly stats: Record<string, NodeStats> = {};
  private disposed = false;
  /** Each member's inputs, worked out once here rather than on every batch. */
  private readonly members: ReadonlyMap<string, MemberInputs>;

  constructor(
    private readonly spec: StageSpec,
    private readonly signal: AbortSignal,
    private readonly log: LogSink,
    /** Live-run hooks, for nodes on the main thread (a worker's nodes get none). */
    private readonly live?: LiveHooks,
  ) {
    for (const node of spec.nodes) this.stats[node.id] = emptyNodeStats();
    this.members = memberInputs(spec);
  }

  /**
   * New parameters for one node while the run goes (live-editable ones; checked by the
   * caller). Value outputs the node announces anew go to the stage's members that read them;
   * all of them are returned (`node.port` -> value) for the stages outside.
   */
  async setParams(node: string, params: unknown): Promise<Record<string, unknown>> {
    if (this.fused) {
      // A fused stage's members are one instance: it takes the parameters, and no member of
      // a fused stage announces values that follow from them.
      if (!this.fused.setParams) throw new Error(`node ${node} cannot change its parameters while it runs (its stage is fused)`);
      await this.fused.setParams(node, params);
      return {};
    }
    const instance = this.instances.get(node);
    if (!instance?.setParams) throw new Error(`node ${node} cannot change its parameters while it runs`);
    const outputs = ((await instance.setParams(params)) ?? {}) as Record<string, unknown>;
    const changed: Record<string, unknown> = {};
    for (const [port, value] of Object.entries(outputs)) changed[portKey({ node, port })] = value;
    await this.setInputs(changed);
    return changed;
  }

  /** Value inputs that changed while the run goes (`node.port` -> value): each member reading one takes them. */
  async setInputs(values: Record<string, unknown>): Promise<void> {
    for (const member of this.spec.nodes) {
      const inputs: Record<string, unknown> = {};
      for (const input of this.members.get(member.id)!.all) if (input.from in values) inputs[input.port] = values[input.from];
      if (Object.keys(inputs).length === 0) continue;
      const instance = this.instances.get(member.id);
      const take = this.fused ? this.fused.setInputs?.bind(this.fused, member.id) : instance?.setInputs?.bind(instance);
      if (!take) throw new Error(`${member.definition.type} "${member.id}" cannot take a new ${Object.keys(inputs).join(', ')} while it runs; change it after the run`);
      try {
        await take(inputs as never);
      } catch (error) {
        throw attribute(error, member.id);
      }
    }
  }

  private contextFor(node: StageNode): NodeContext<unknown> {
    return {
      id: node.id,
      params: node.params,
      signal: this.signal,
      log: { info: (m) => this.log('info', node.id, m), warn: (m) => this.log('warn', node.id, m) },
      providers: this.spec.providers,
      threads: this.spec.threads,
      batchSize: this.spec.batchSize,
      strategy: this.spec.strategy ?? 'composed',
      deviceGlue: true,
      paths: this.spec.paths,
      output: this.spec.output,
      ...(this.live ? { live: this.live } : {}),
    };
  }

  async create(): Promise<void> {
    this.fused = await fuseStage(this.spec, (node) => this.contextFor(node), this.log);
    if (this.fused) return;
    for (const node of this.spec.nodes) {
      try {
        this.instances.set(node.id, await node.definition.create(this.contextFor(node)));
      } catch (error) {
        throw attribute(error, node.id);
      }
    }
  }

  /** True when the stage runs as one composed instance. */
  get composed(): boolean {
    return this.fused !== null;
  }

  /**
   * Opens every node in order. `external` holds what producers outside the stage announced
   * (`node.port` -> stream facts or value); returns what every node of the stage announced.
   */
  async open(external: Record<string, unknown>): Promise<Record<string, unknown>> {
    const known: Record<string, unknown> = { ...external };
    const announced: Record<string, unknown> = {};
    if (this.fused) return openFused(this.fused, this.spec, this.members, external);
    for (const node of this.spec.nodes) {
      const inputs: Record<string, unknown> = {};
      for (const input of this.members.get(node.id)!.all) inputs[input.port] = known[input.from];
      const instance = this.instances.get(node.id)!;
      let outputs: Record<string, unknown> | void;
      try {
        outputs = (await instance.open?.(inputs as never)) as Record<string, unknown> | void;
      } catch (error) {
        throw attribute(error, node.id);
      }
      const own = withPassedThroughFacts(node.definition, inputs, outputs ?? {});
      for (const [port, value] of Object.entries(own)) {
        known[portKey({ node: node.id, port })] = value;
        announced[portKey({ node: node.id, port })] = value;
      }
    }
    return announced;
  }

  /** Runs a batch through the stage's nodes; returns the streams other stages consume. */
  async process(batch: StageBatch): Promise<Record<string, unknown[]>> {
    const n = batch.indices.length;
    const values: Record<string, unknown[]> = { ...batch.streams };
    if (this.fused) await processFused(this.fused, this.spec, this.members, this.stats, batch, values);
    for (const node of this.fused ? [] : this.spec.nodes) {
      const inputs: Record<string, unknown[]> = {};
      const streamInputs = this.members.get(node.id)!.streams;
      for (const input of streamInputs) inputs[input.port] = values[input.from]!;
      const instance = this.instances.get(node.id)!;
      if (!instance.process) throw attribute(new Error(`${node.definition.type} has stream inputs but no process()`), node.id);
      const started = performance.now();
      const modelAtStart = modelMs();
      let outputs: Record<string, unknown[]>;
      try {
        outputs = ((await instance.process({ indices: batch.indices, pts: batch.pts, inputs } as never)) ?? {}) as Record<string, unknown[]>;
      } catch (error) {
        throw attribute(error, node.id);
      }
      const busy = performance.now() - started;
      for (const [port, column] of Object.entries(outputs)) {
        if (!Array.isArray(column) || column.length !== n) {
          throw attribute(new Error(`process() returned ${Array.isArray(column) ? column.length : 'no array of'} values for output "${port}" on a batch of ${n} frames; return one value per frame`), node.id);
        }
        values[portKey({ node: node.id, port })] = column;
      }
      recordBatch(this.stats[node.id]!, n, streamInputs.length > 0 || Object.keys(outputs).length > 0 ? n : 0, busy, modelMs() - modelAtStart);
    }
    const result: Record<string, unknown[]> = {};
    for (const key of this.spec.outputs) {
      const column = values[key];
      if (!column) {
        throw attribute(new Error(`process() returned nothing for output "${portOfKey(key)}", which another node consumes`), nodeOfKey(key));
      }
      result[key] = column;
    }
    return result;
  }

  /** Frames from the stage's single source node, as batches keyed like `process` results. */
  async *produce(): AsyncGenerator<StageBatch & { busyMs: number; capturedAt?: number[]; echo?: ({ sentAt: number; seq: number } | null)[] }> {
    const node = this.spec.nodes[0]!;
    const instance = this.instances.get(node.id)!;
    if (!instance.produce) throw attribute(new Error(`${node.definition.type} has stream outputs but no produce()`), node.id);
    const iterator = instance.produce()[Symbol.asyncIterator]();
    let last = -1;
    for (;;) {
      const started = performance.now();
      let step: IteratorResult<SourceChunk>;
      try {
        step = (await iterator.next()) as typeof step;
      } catch (error) {
        throw attribute(error, node.id);
      }
      const busy = performance.now() - started;
      if (step.done) return;
      const { indices, pts, outputs, capturedAt, echo } = step.value;
      if (indices.length !== pts.length || indices.some((index, i) => index <= (i === 0 ? last : indices[i - 1]!))) {
        throw attribute(new Error('produce() must yield ascending frame indices, one pts per index'), node.id);
      }
      last = indices[indices.length - 1] ?? last;
      recordBatch(this.stats[node.id]!, 0, indices.length, busy);
      const streams: Record<string, unknown[]> = {};
      for (const [port, column] of Object.entries(outputs)) streams[portKey({ node: node.id, port })] = column as unknown[];
      yield { indices, pts, streams, busyMs: busy, ...(capturedAt ? { capturedAt } : {}), ...(echo ? { echo } : {}) };
    }
  }

  /** Calls finish on every node in order; returns their results by node id. */
  async finish(): Promise<Record<string, unknown>> {
    if (this.fused) {
      try {
        return (await this.fused.finish?.()) ?? {};
      } catch (error) {
        throw attribute(error, this.spec.nodes[0]!.id);
      }
    }
    const results: Record<string, unknown> = {};
    for (const node of this.spec.nodes) {
      try {
        const result = await this.instances.get(node.id)!.finish?.();
        if (result !== undefined) results[node.id] = result;
      } catch (error) {
        throw attribute(error, node.id);
      }
    }
    return results;
  }

  /** Disposes every instance, last first; returns the errors it met rather than throwing. */
  async dispose(): Promise<FramefuseError[]> {
    if (this.disposed) return [];
    this.disposed = true;
    const errors: FramefuseError[] = [];
    if (this.fused) {
      try {
        await this.fused.dispose?.();
      } catch (error) {
        errors.push(attribute(error, this.spec.nodes[0]!.id));
      }
      this.fused = null;
    }
    for (const node of [...this.spec.nodes].reverse()) {
      try {
        await this.instances.get(node.id)?.dispose?.();
      } catch (error) {
        errors.push(attribute(error, node.id));
      }
    }
    this.instances.clear();
    return errors;
  }
}
