/**
 * A model parameter names a model of its family (param-roles.ts): the Swapper's model is a
 * face swapper, the Enhancer's a face enhancer. A manifest model of another task is refused
 * with FF_MODEL_FAMILY and the models that fit; paths to .onnx files are the user's call.
 */
import { findModel, loadManifest, type Manifest } from '../models/manifest.js';
import { manifestPath } from '../models/paths.js';
import { isModelPath, MODEL_FAMILY_TASK, paramRoles } from '../model/param-roles.js';
import { problem, type Problem } from '../model/problem.js';
import type { ResolvedNode } from './resolved-graph.js';

export function modelFamilyProblems(nodes: readonly ResolvedNode[], manifest: Manifest): Problem[] {
  const problems: Problem[] = [];
  for (const node of nodes) {
    const values = node.params as Record<string, unknown>;
    for (const [param, role] of paramRoles(node.definition.params)) {
      const value = values[param];
      if (role.role !== 'model' || typeof value !== 'string' || isModelPath(value)) continue;
      const entry = findModel(manifest, value);
      const task = MODEL_FAMILY_TASK[role.family];
      if (!entry || entry.task === task) continue;
      const fits = manifest.models.filter((m) => m.task === task).map((m) => m.id);
      problems.push(problem('FF_MODEL_FAMILY', `${value} is a ${entry.task} model, but ${param} takes a ${role.family}: pick one of ${fits.join(', ') || '(none in the manifest)'}`, { node: node.id, field: param }));
    }
  }
  return problems;
}

/** The same, reading the manifest of `modelsDir` (no problems when it cannot be read: the model checks report that). */
export async function checkModelFamilies(nodes: readonly ResolvedNode[], modelsDir: string): Promise<Problem[]> {
  const manifest = await loadManifest(manifestPath(modelsDir)).catch(() => null);
  return manifest ? modelFamilyProblems(nodes, manifest) : [];
}
