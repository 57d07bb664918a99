/** Export and import of graph JSON files through the browser. */
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

export async function readJsonFile(file: File): Promise<GraphDocument> {
  const data = JSON.parse(await file.text()) as unknown;
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { nodes?: unknown }).nodes)) {
    throw new Error(`${file.name} is not a framefuse graph (no "nodes" list)`);
  }
  const doc = data as GraphDocument;
  return { ...doc, edges: doc.edges ?? [], metadata: doc.metadata ?? {}, name: doc.name ?? file.name.replace(/\.json$/, '') };
}
