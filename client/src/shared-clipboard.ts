/**
 * The editor's clipboard for nodes, kept in localStorage so that a copy in one graph tab (or
 * browser tab) pastes in another; what is read back is parsed with the document's schemas.
 * Also where the pointer last was on the canvas, so a paste lands at the cursor.
 */
import { z } from 'zod';
import { zGraphEdge, zGraphNode } from '../../src/model/document.ts';
import type { ClipboardContent } from './clipboard.ts';

const KEY = 'framefuse.clipboard';
const zClipboard = z.object({ nodes: z.array(zGraphNode).min(1).max(500), edges: z.array(zGraphEdge).max(2000) });

export function writeClipboard(content: ClipboardContent): void {
  localStorage.setItem(KEY, JSON.stringify(content));
}

/** What was copied last, with the text it was stored as (to count repeated pastes), or null. */
export function readClipboard(): { content: ClipboardContent; text: string } | null {
  const text = localStorage.getItem(KEY);
  if (!text) return null;
  try {
    const parsed = zClipboard.safeParse(JSON.parse(text));
    return parsed.success ? { content: parsed.data, text } : null;
  } catch {
    return null;
  }
}

/** The last pointer position over the canvas in canvas coordinates; null when the pointer left it. */
export const canvasPointer: { at: { x: number; y: number } | null } = { at: null };

/** The offset that puts the top-left of `content` at `at`. */
export function offsetTo(content: ClipboardContent, at: { x: number; y: number }): { x: number; y: number } {
  const xs = content.nodes.map((n) => n.position?.x ?? 80);
  const ys = content.nodes.map((n) => n.position?.y ?? 80);
  return { x: Math.round(at.x - Math.min(...xs)), y: Math.round(at.y - Math.min(...ys)) };
}
