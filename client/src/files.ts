/** Export and import of graph JSON files through the browser. */
import { parseGraphJson, parseGraphText } from '../../src/model/parse-document.ts';
import type { GraphDocument } from './types.ts';

export function downloadJson(doc: GraphDocument, fileName: string): void {
  const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Reads a graph file the user picked with the loader the CLI and server use (syntax,
 * migration, document schema), so a file that opens here also runs. Problems are thrown as
 * one message naming the file.
 */
export async function readJsonFile(file: File): Promise<GraphDocument> {
  const text = await file.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // An unnamed graph takes the file's name; text that is not JSON gets the loader's line and column.
  const named = json && typeof json === 'object' && !Array.isArray(json) ? { name: file.name.replace(/\.json$/, ''), ...json } : json;
  const { document, problems } = named === undefined ? parseGraphText(text) : parseGraphJson(named);
  if (!document) {
    const first = problems.slice(0, 3).map((p) => (p.node ? `${p.node}: ${p.message}` : p.message));
    throw new Error(`${file.name} is not a framefuse graph: ${first.join('; ')}`);
  }
  return document;
}
