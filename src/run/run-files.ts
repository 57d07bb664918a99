/**
 * A run's output policy: overwrite or not (the run's option; an Encoder's own `overwrite`
 * param also counts), the files the run reads (never written), and the protected folders.
 */
import type { OutputPolicy } from '../files/output-policy.js';
import { filesReadBy, identitiesOf } from '../graph/read-files.js';
import type { NodePaths } from '../node-api/define-node.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';

export interface RunWriteOptions {
  /** Replace existing outputs (CLI --overwrite, the API's `overwrite`). */
  overwrite?: boolean;
  /** Folders whose existing files no output may replace (the server's uploads). */
  protectedFolders?: string[];
}

export async function outputPolicyOf(graph: ResolvedGraph, paths: NodePaths, options: RunWriteOptions = {}): Promise<OutputPolicy> {
  return {
    overwrite: options.overwrite ?? false,
    readFiles: identitiesOf(await filesReadBy(graph.nodes.values(), paths)),
    protectedFolders: options.protectedFolders ?? [],
    embedGraph: JSON.stringify(graph.document),
  };
}
