/**
 * Parameter roles: which parameters name files, and what the node does with them. A node
 * author declares the role on the parameter's schema; it is never guessed from a name.
 * Everything that treats files (validation's input/output checks, the server's sandbox,
 * output discovery, the editor's file and model pickers) reads the role from here, and the
 * role travels with the schema into the node catalog and graphs/graph.schema.json as
 * `"x-framefuse": { "role": ... }`.
 *
 * @example
 * ```ts
 * params: z.object({
 *   path: inputFile(z.string().min(1), 'video').describe('Video file to read.'),
 *   model: modelRef(z.string().default('inswapper_128'), 'face-swapper').describe('Swap model.'),
 *   out: outputFile(z.string().min(1), 'video').describe('Where to write.'),
 * })
 * ```
 */
import { z } from 'zod';

/** The key under which a role appears in a parameter's JSON Schema. */
export const ROLE_KEY = 'x-framefuse';

export const zMediaKind = z.enum(['video', 'image']);
export type MediaKind = z.infer<typeof zMediaKind>;

/** What a model parameter names, so a picker offers models of the right task only. */
export const zModelFamily = z.enum(['face-detector', 'face-swapper', 'face-embedder', 'face-enhancer', 'frame-upscaler']);
export type ModelFamily = z.infer<typeof zModelFamily>;

/** The manifest task (models/manifest.json `task`) of each family: what a picker offers and validation accepts. */
export const MODEL_FAMILY_TASK: Record<ModelFamily, string> = {
  'face-detector': 'face-detect',
  'face-swapper': 'face-swap',
  'face-embedder': 'face-embedding',
  'face-enhancer': 'face-enhance',
  'frame-upscaler': 'frame-upscale',
};

/** The role of one parameter, as it travels in the catalog's JSON Schema under `x-framefuse`. */
export const zParamRole = z.discriminatedUnion('role', [
  /** A file the node reads (a video, a still). */
  z.object({ role: z.literal('input-file'), media: zMediaKind, liveEditable: z.boolean().optional() }),
  /** A file the node writes; runs never write over an existing file unless told to. */
  z.object({ role: z.literal('output-file'), media: zMediaKind, liveEditable: z.boolean().optional() }),
  /** A model: a manifest id, or a path to an .onnx file (which is then read like an input file). */
  z.object({ role: z.literal('model'), family: zModelFamily, liveEditable: z.boolean().optional() }),
  /** A plain setting (a number, a choice) that may change while a run is live, applied without a restart. */
  z.object({ role: z.literal('live-setting'), liveEditable: z.literal(true) }),
]);
export type ParamRole = z.infer<typeof zParamRole>;

export interface RoleOptions {
  /** The value may change while a run is live (the editor may apply it without a restart). */
  liveEditable?: boolean;
}

function withRole<S extends z.ZodType>(schema: S, role: ParamRole): S {
  return schema.meta({ [ROLE_KEY]: role }) as S;
}

const live = (options: RoleOptions) => (options.liveEditable ? { liveEditable: true } : {});

/** Marks a parameter as a media file the node reads. */
export function inputFile<S extends z.ZodType>(schema: S, media: MediaKind, options: RoleOptions = {}): S {
  return withRole(schema, { role: 'input-file', media, ...live(options) });
}

/** Marks a parameter as a file the node writes. */
export function outputFile<S extends z.ZodType>(schema: S, media: MediaKind, options: RoleOptions = {}): S {
  return withRole(schema, { role: 'output-file', media, ...live(options) });
}

/** Marks a parameter as a model reference (manifest id or .onnx path) of one family. */
export function modelRef<S extends z.ZodType>(schema: S, family: ModelFamily, options: RoleOptions = {}): S {
  return withRole(schema, { role: 'model', family, ...live(options) });
}

/** Marks a plain parameter (a blur strength, a blend) as changeable while a run is live. */
export function liveSetting<S extends z.ZodType>(schema: S): S {
  return withRole(schema, { role: 'live-setting', liveEditable: true });
}

/** Whether a role lets its parameter change while a run is live. */
export function isLiveEditable(role: ParamRole | null): boolean {
  return role?.liveEditable === true;
}

/** The names of a params schema's live-editable parameters. */
export function liveEditableParams(params: z.ZodObject): string[] {
  return [...paramRoles(params)].filter(([, role]) => isLiveEditable(role)).map(([name]) => name);
}

/** The role declared on one parameter schema, or null. */
export function roleOf(schema: z.ZodType): ParamRole | null {
  const meta = z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
  const role = zParamRole.safeParse(meta?.[ROLE_KEY]);
  return role.success ? role.data : null;
}

/**
 * Parameters whose schema carries an `x-framefuse` entry that is not a role (written by
 * hand rather than with inputFile/outputFile/modelRef): the registry refuses such a node,
 * so the catalog the editor parses never holds one.
 */
export function malformedRoles(params: z.ZodObject): string[] {
  return Object.entries(params.shape).flatMap(([name, schema]) => {
    const meta = z.globalRegistry.get(schema as z.ZodType) as Record<string, unknown> | undefined;
    return meta?.[ROLE_KEY] !== undefined && !zParamRole.safeParse(meta[ROLE_KEY]).success ? [name] : [];
  });
}

/** Every parameter of a params schema that has a role, by name. */
export function paramRoles(params: z.ZodObject): Map<string, ParamRole> {
  const roles = new Map<string, ParamRole>();
  for (const [name, schema] of Object.entries(params.shape)) {
    const role = roleOf(schema as z.ZodType);
    if (role) roles.set(name, role);
  }
  return roles;
}

/**
 * A model reference that names a file rather than a manifest id: it ends in .onnx or holds
 * a folder separator. Such a value is read from disk like an input file.
 */
export function isModelPath(ref: string): boolean {
  return ref.endsWith('.onnx') || ref.includes('/') || ref.includes('\\');
}

/** One file-naming value of a node: the parameter, its role, and the value as written. */
export interface RoleValue {
  param: string;
  role: ParamRole;
  value: string;
}

/**
 * The values of a node's parameters that name files on disk: input and output files, and
 * model references that are paths (a manifest id names no file the user chose).
 */
export function fileValues(params: z.ZodObject, values: Record<string, unknown>): RoleValue[] {
  const found: RoleValue[] = [];
  for (const [param, role] of paramRoles(params)) {
    const value = values[param];
    if (typeof value !== 'string' || value === '') continue;
    if (role.role === 'live-setting') continue;
    if (role.role === 'model' && !isModelPath(value)) continue;
    found.push({ param, role, value });
  }
  return found;
}
