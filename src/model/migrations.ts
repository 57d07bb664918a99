/**
 * Document migrations: one upgrade step per format version. A step takes a document of
 * version N (as plain JSON) and returns version N + 1; it must not mutate its input.
 * Format 1 is the first, so the list is empty today; the mechanism is tested with steps
 * the tests register. Browser-safe: the editor migrates a file it opens with the same steps.
 */
import { GRAPH_SCHEMA_VERSION } from './document.js';
import { problem, type Problem } from './problem.js';

export type JsonObject = Record<string, unknown>;

export interface Migration {
  /** The version this step upgrades from; it produces `from + 1`. */
  from: number;
  describe: string;
  up(document: JsonObject): JsonObject;
}

/** The real upgrade steps, in order. `transformGraphV1ToV2` goes here when format 2 exists. */
export const GRAPH_MIGRATIONS: readonly Migration[] = [];

export type MigrationResult =
  | {
      ok: true;
      document: JsonObject;
      /** Descriptions of the steps applied, oldest first. */
      applied: string[];
    }
  /** The document cannot be brought to `target`: a bad or too new schemaVersion, or a missing step. */
  | { ok: false; problem: Problem };

/**
 * Upgrades a parsed document to `target`. A document without a schemaVersion is taken as
 * version 1; one newer than this build understands is refused rather than guessed at (the
 * answer is then a problem on `schemaVersion`, never a throw).
 */
export function migrateDocument(
  input: JsonObject,
  migrations: readonly Migration[] = GRAPH_MIGRATIONS,
  target: number = GRAPH_SCHEMA_VERSION,
): MigrationResult {
  const raw = input.schemaVersion ?? 1;
  const field = { field: 'schemaVersion' };
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    return { ok: false, problem: problem('FF_SCHEMA', `schemaVersion must be a whole number of at least 1, not ${JSON.stringify(raw)}`, field) };
  }
  if (raw > target) {
    return { ok: false, problem: problem('FF_SCHEMA_TOO_NEW', `the graph is format ${raw}, but this framefuse reads formats up to ${target}: upgrade framefuse to open this graph`, field) };
  }
  let document: JsonObject = { ...input, schemaVersion: raw };
  const applied: string[] = [];
  for (let version = raw; version < target; version++) {
    const step = migrations.find((m) => m.from === version);
    if (!step) return { ok: false, problem: problem('FF_SCHEMA', `no migration from graph format ${version} to ${version + 1}`, field) };
    document = { ...step.up(document), schemaVersion: version + 1 };
    applied.push(step.describe);
  }
  return { ok: true, document, applied };
}
