/**
 * Graph files: list, read, create (POST, refuses to overwrite), save (PUT), delete.
 * Documents are parsed (and migrated) by the same loader as the CLI's, so what the editor
 * saves is what `framefuse run` reads.
 */
import { readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { parseGraphJson, parseGraphText, serializeGraph } from '../../src/model/parse-document.js';
import { ApiError, notFound } from '../api-error.js';
import { graphFile } from '../graph-names.js';
import { parseRequest } from '../parse-body.js';
import type { ServerContext } from '../server-context.js';

const zSaveBody = z.object({ document: z.unknown() });

export interface GraphListing {
  name: string;
  title: string;
  description: string;
  nodes: number;
  size: number;
  modified: string;
  valid: boolean;
}

async function listGraphs(dir: string): Promise<GraphListing[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== 'graph.schema.json').sort();
  const listings = await Promise.all(
    names.map(async (name): Promise<GraphListing | null> => {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return null;
      const loaded = parseGraphText(await readFile(path, 'utf8'));
      return {
        name,
        title: loaded.document?.name ?? name.replace(/\.json$/, ''),
        description: loaded.document?.description ?? '',
        nodes: loaded.document?.nodes.length ?? 0,
        size: info.size,
        modified: info.mtime.toISOString(),
        valid: loaded.document !== null,
      };
    }),
  );
  return listings.filter((l): l is GraphListing => l !== null);
}

/** Parses a posted document; a document that is not one is a 422 with its problems. */
function documentFrom(body: unknown) {
  const { document } = parseRequest(zSaveBody, body);
  const loaded = parseGraphJson(document);
  if (!loaded.document) {
    throw new ApiError(422, loaded.problems[0]?.code ?? 'FF_SCHEMA', 'not a valid graph document', { problems: loaded.problems });
  }
  return loaded.document;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

export function graphsRouter(ctx: ServerContext): Router {
  const router = Router();
  const dir = ctx.folders.graphs;

  router.get('/graphs', async (_req, res) => {
    res.json({ graphs: await listGraphs(dir) });
  });

  router.get('/graphs/:name', async (req, res) => {
    const file = graphFile(dir, req.params.name);
    if (!existsSync(file.path)) throw notFound(`graph ${file.name}`);
    const loaded = parseGraphText(await readFile(file.path, 'utf8'));
    res.json({ name: file.name, ...loaded });
  });

  router.post('/graphs/:name', async (req, res) => {
    const file = graphFile(dir, req.params.name);
    const document = documentFrom(req.body);
    if (existsSync(file.path)) throw new ApiError(409, 'FF_EXISTS', `a graph named ${file.name} exists already; save with PUT to replace it`);
    await writeAtomic(file.path, serializeGraph(document));
    res.status(201).json({ name: file.name, document });
  });

  router.put('/graphs/:name', async (req, res) => {
    const file = graphFile(dir, req.params.name);
    const document = documentFrom(req.body);
    const created = !existsSync(file.path);
    await writeAtomic(file.path, serializeGraph(document));
    res.status(created ? 201 : 200).json({ name: file.name, document });
  });

  router.delete('/graphs/:name', async (req, res) => {
    const file = graphFile(dir, req.params.name);
    if (!existsSync(file.path)) throw notFound(`graph ${file.name}`);
    await rm(file.path);
    res.status(204).end();
  });

  return router;
}
