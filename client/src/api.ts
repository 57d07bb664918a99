/**
 * The REST client. The token `framefuse start` puts in the page URL (?token=...) is kept
 * for the tab and sent with every request (the server refuses requests without it); errors
 * come back as ApiError with the server's code.
 */
import { z } from 'zod';
import { zNodeCatalog } from '../../src/model/catalog.ts';
import { zGraphDocument } from '../../src/model/document.ts';
import { zPlan } from '../../src/model/plan.ts';
import { zProblem } from '../../src/model/problem.ts';
import { zRunRecord } from '../../src/model/run-record.ts';
import type { GraphDocument, GraphListing, ModelListing, Problem, UploadListing } from './types.ts';

const TOKEN_KEY = 'framefuse.token';

function initialToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export const token = initialToken();

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown, raw?: Blob | File): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // The server takes an upload only with a video, image or octet-stream type.
  if (raw) headers['content-type'] = raw.type || 'application/octet-stream';
  const res = await fetch(path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string; problems?: Problem[] } } | null;
  if (!res.ok) {
    throw new ApiError(res.status, data?.error?.code ?? 'FF_HTTP', data?.error?.message ?? `${method} ${path}: HTTP ${res.status}`, data?.error?.problems ?? []);
  }
  return data as T;
}

/**
 * A request whose answer is one of src/model's shapes: checked with its schema, so a server
 * of another version (or a broken answer) is reported as such rather than failing later.
 */
async function checked<S extends z.ZodType>(schema: S, method: string, path: string, body?: unknown): Promise<z.infer<S>> {
  const data = await request<unknown>(method, path, body);
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
  throw new ApiError(502, 'FF_BAD_ANSWER', `${method} ${path}: unexpected answer from the server (${where})`);
}

const zRunAnswer = z.object({ run: zRunRecord });

/** A video or image in a data folder, for the file browser (GET /api/files). */
export const zFileEntry = z.object({ folder: z.string(), path: z.string(), kind: z.enum(['video', 'image']), size: z.number(), modified: z.string(), duration: z.number().nullable(), thumbnail: z.string() });
export type FileEntry = z.infer<typeof zFileEntry>;

/** A file in the outputs folder (GET /api/outputs). */
export const zOutputListing = z.object({ path: z.string(), dataPath: z.string(), size: z.number(), modified: z.string(), url: z.string() });
export type OutputListing = z.infer<typeof zOutputListing>;

/** A URL a media element can load (it cannot send headers, so the token rides in the query). */
export function mediaUrl(path: string): string {
  return token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;
}

export const api = {
  info: () => request<{ defaultGraph: string | null; providers: string[]; limits: { uploadBytes: number } }>('GET', '/api/info'),
  catalog: () => checked(zNodeCatalog, 'GET', '/api/nodes'),
  graphs: () => request<{ graphs: GraphListing[] }>('GET', '/api/graphs'),
  readGraph: (name: string) => request<{ name: string; document: GraphDocument | null; problems: Problem[] }>('GET', `/api/graphs/${encodeURIComponent(name)}`),
  createGraph: (name: string, document: GraphDocument) => request<{ name: string }>('POST', `/api/graphs/${encodeURIComponent(name)}`, { document }),
  saveGraph: (name: string, document: GraphDocument) => request<{ name: string }>('PUT', `/api/graphs/${encodeURIComponent(name)}`, { document }),
  deleteGraph: (name: string) => request<void>('DELETE', `/api/graphs/${encodeURIComponent(name)}`),
  validate: (graph: GraphDocument) => checked(z.object({ valid: z.boolean(), problems: z.array(zProblem), plan: zPlan.nullable() }), 'POST', '/api/validate', { graph }),
  /** `page`: this page's socket id, so a live run's browser camera is this page's (its close cancels the run). */
  run: (graph: GraphDocument, providers?: string[], page?: string) => checked(zRunAnswer, 'POST', '/api/runs', { graph, ...(providers ? { providers } : {}), ...(page ? { page } : {}) }),
  cancel: (id: string) => checked(zRunAnswer, 'POST', `/api/runs/${encodeURIComponent(id)}/cancel`),
  files: () => checked(z.object({ files: z.array(zFileEntry) }), 'GET', '/api/files'),
  outputs: () => checked(z.object({ outputs: z.array(zOutputListing) }), 'GET', '/api/outputs'),
  /** The graph an output in the data folder carries (404 FF_NO_EMBEDDED_GRAPH when it has none). */
  embeddedGraph: (path: string) => checked(z.object({ document: zGraphDocument }), 'GET', `/api/embedded-graph?path=${encodeURIComponent(path)}`),
  runGraph: (id: string) => checked(z.object({ document: zGraphDocument }), 'GET', `/api/runs/${encodeURIComponent(id)}/graph`),
  runs: () => checked(z.object({ runs: z.array(zRunRecord) }), 'GET', '/api/runs'),
  models: () => request<{ models: ModelListing[] }>('GET', '/api/models'),
  pullModel: (id: string) => request<{ id: string }>('POST', `/api/models/${encodeURIComponent(id)}/pull`),
  uploads: () => request<{ uploads: UploadListing[] }>('GET', '/api/uploads'),
  upload: (file: File) => request<UploadListing>('POST', `/api/uploads?name=${encodeURIComponent(file.name)}`, undefined, file),
};
