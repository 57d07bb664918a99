/**
 * Reading a parameter's JSON Schema (as zod's toJSONSchema writes it) into the kind of
 * field that edits it. Nothing here knows any node type: a new node's params get a form
 * from their schema alone.
 */
import { ROLE_KEY } from '../../../src/model/param-roles.ts';
import type { JsonSchema } from '../types.ts';

export type FieldKind =
  | { kind: 'number'; integer: boolean; min?: number; max?: number; nullable: boolean }
  | { kind: 'enum'; options: unknown[]; nullable: boolean }
  | { kind: 'boolean' }
  | { kind: 'path'; nullable: boolean; /** For a file the node reads: which media the file browser offers. */ browse?: 'video' | 'image' | null }
  | { kind: 'model'; nullable: boolean; family: string | null }
  | { kind: 'string'; nullable: boolean }
  | { kind: 'json' };

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

/** Splits `anyOf: [X, {type: null}]` into X and nullable. */
function unwrapNullable(schema: JsonSchema): { inner: JsonSchema; nullable: boolean } {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const rest = options.filter((o) => !types(o).includes('null'));
    if (rest.length === 1 && rest.length < options.length) return { inner: { ...rest[0]!, default: schema.default, description: schema.description ?? rest[0]!.description }, nullable: true };
  }
  const t = types(schema);
  if (t.includes('null') && t.length === 2) return { inner: { ...schema, type: t.find((x) => x !== 'null')! }, nullable: true };
  return { inner: schema, nullable: false };
}

/** How a parameter is edited: file and model fields come from its declared role, never its name. */
export function fieldKind(schema: JsonSchema): FieldKind {
  const { inner, nullable } = unwrapNullable(schema);
  const role = schema[ROLE_KEY]?.role;
  if (inner.enum) return { kind: 'enum', options: inner.enum, nullable };
  if (inner.anyOf?.every((o) => o.const !== undefined)) return { kind: 'enum', options: inner.anyOf.map((o) => o.const), nullable };
  const t = types(inner);
  if (t.includes('boolean')) return { kind: 'boolean' };
  if (t.includes('integer') || t.includes('number')) {
    const min = inner.minimum ?? (inner.exclusiveMinimum !== undefined ? inner.exclusiveMinimum : undefined);
    const max = inner.maximum ?? (inner.exclusiveMaximum !== undefined ? inner.exclusiveMaximum : undefined);
    return { kind: 'number', integer: t.includes('integer'), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), nullable };
  }
  if (t.includes('string')) {
    if (role === 'output-file') return { kind: 'path', nullable };
    if (role === 'input-file') {
      const declared = schema[ROLE_KEY];
      const media = declared && 'media' in declared ? declared.media : null;
      return { kind: 'path', nullable, browse: media === 'video' || media === 'image' ? media : null };
    }
    if (role === 'model') {
      const declared = schema[ROLE_KEY];
      return { kind: 'model', nullable, family: declared && 'family' in declared ? declared.family : null };
    }
    return { kind: 'string', nullable };
  }
  return { kind: 'json' };
}

export function schemaDefault(schema: JsonSchema): unknown {
  return schema.default;
}
