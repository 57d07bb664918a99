/**
 * Document migrations: one upgrade step per format version. A step takes a document of
 * version N (as plain JSON) and returns version N + 1; it must not mutate its input.
 * Format 1 is the first, so the list is empty today; the mechanism is tested with steps
 * the tests register.
 */
import { GRAPH_SCHEMA_VERSION } from './document.js';
import { userError } from '../errors.js';

export type JsonObject = Record<string, unknown>;

export interface Migration {
  /** The version this step upgrades from; it produces `from + 1`. */
  from: number;
  describe: string;
  up(document: JsonObject): JsonObject;
}

/** The real upgrade steps, in order. `transformGraphV1ToV2` goes here when format 2 exists. */
export const GRAPH_MIGRATIONS: readonly Migration[] = [];

export interface MigrationResult {
  document: JsonObject;
  /** Descriptions of the steps applied, oldest first. */
  applied: string[];
}

/**
 * Upgrades a parsed document to `target`. A document without a schemaVersion is taken as
 * version 1; one newer than this build understands is refused rather than guessed at.
 */
export function migrateDocument(
  input: JsonObject,
  migrations: readonly Migration[] = GRAPH_MIGRATIONS,
  target: number = GRAPH_SCHEMA_VERSION,
): MigrationResult {
  const raw = input.schemaVersion ?? 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    throw userError('FF_SCHEMA', `schemaVersion must be a whole number of at least 1, not ${JSON.stringify(raw)}`, {
      field: 'schemaVersion',
    });
  }
  if (raw > target) {
    throw userError(
      'FF_SCHEMA_TOO_NEW',
      `the graph is format ${raw}, but this framefuse reads formats up to ${target}`,
      { field: 'schemaVersion', fix: 'upgrade framefuse to open this graph' },
    );
  }
  let document: JsonObject = { ...input, schemaVersion: raw };
  const applied: string[] = [];
  for (let version = raw; version < target; version++) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      throw userError('FF_SCHEMA', `no migration from graph format ${version} to ${version + 1}`, {
        field: 'schemaVersion',
      });
    }
    document = { ...step.up(document), schemaVersion: version + 1 };
    applied.push(step.describe);
  }
  return { document, applied };
}
