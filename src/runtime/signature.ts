/**
 * What a node expects of its model's inputs and outputs, checked when the model opens so
 * that a wrong file fails with its name and the mismatch, not with an ORT error mid-run.
 */
import { userError } from '../errors.js';
import { formatDims } from '../onnx/value-info.js';
import type { Dim, TensorInfo } from '../onnx/value-info.js';
import type { ElementType } from '../onnx/proto.js';

export interface TensorExpectation {
  /** Expected dims; `null` (or a string) accepts anything in that position. The length is the rank. */
  dims?: readonly Dim[];
  type?: ElementType;
}

export interface ModelExpectation {
  inputs?: Record<string, TensorExpectation>;
  outputs?: Record<string, TensorExpectation>;
}

/**
 * @throws FF_MODEL_INPUT_MISMATCH listing every difference, naming the file.
 */
export function checkSignature(
  file: string,
  actual: { inputs: TensorInfo[]; outputs: TensorInfo[] },
  expected: ModelExpectation,
): void {
  const problems = [
    ...compare('input', actual.inputs, expected.inputs ?? {}),
    ...compare('output', actual.outputs, expected.outputs ?? {}),
  ];
  if (problems.length > 0) {
    throw userError('FF_MODEL_INPUT_MISMATCH', `${file} does not have the inputs and outputs this node needs: ${problems.join('; ')}`, {
      fix: 'check that the model file is the one the node expects (framefuse models inspect <file> shows its signature)',
    });
  }
}

function compare(kind: string, actual: TensorInfo[], expected: Record<string, TensorExpectation>): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const have = actual.find((t) => t.name === name);
    if (!have) {
      problems.push(`${kind} "${name}" is missing (the model has ${actual.map((t) => `"${t.name}"`).join(', ') || 'none'})`);
      continue;
    }
    if (want.type && have.type !== want.type) problems.push(`${kind} "${name}" is ${have.typeName}, expected ${want.type}`);
    if (want.dims && have.dims) {
      if (have.dims.length !== want.dims.length) {
        problems.push(`${kind} "${name}" has rank ${have.dims.length} ${formatDims(have.dims)}, expected rank ${want.dims.length} ${formatDims(want.dims)}`);
        continue;
      }
      want.dims.forEach((w, i) => {
        const h = have.dims?.[i];
        if (typeof w === 'number' && typeof h === 'number' && w !== h) {
          problems.push(`${kind} "${name}" has ${h} at dim ${i} ${formatDims(have.dims)}, expected ${w} ${formatDims(want.dims)}`);
        }
      });
    }
  }
  return problems;
}

/** Checks feeds against the model's inputs before a run (names, rank, fixed dims). */
export function checkFeeds(file: string, inputs: TensorInfo[], feeds: Record<string, { dims: number[] }>): void {
  const problems: string[] = [];
  for (const input of inputs) {
    const feed = feeds[input.name];
    if (!feed) {
      problems.push(`input "${input.name}" was not given`);
      continue;
    }
    if (!input.dims) continue;
    if (feed.dims.length !== input.dims.length) {
      problems.push(`input "${input.name}" got rank ${feed.dims.length} [${feed.dims.join(',')}], the model wants ${formatDims(input.dims)}`);
      continue;
    }
    input.dims.forEach((d, i) => {
      if (typeof d === 'number' && feed.dims[i] !== d) {
        problems.push(`input "${input.name}" got [${feed.dims.join(',')}], the model wants ${formatDims(input.dims)}`);
      }
    });
  }
  for (const name of Object.keys(feeds)) {
    if (!inputs.some((i) => i.name === name)) problems.push(`"${name}" is not an input of the model`);
  }
  if (problems.length > 0) {
    throw userError('FF_MODEL_INPUT_MISMATCH', `wrong inputs for ${file}: ${[...new Set(problems)].join('; ')}`);
  }
}
