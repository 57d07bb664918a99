/**
 * How big a graph may be, on every way in (the CLI's files and --set values, the server's
 * requests): bounded so that a hostile or broken document costs little to refuse. A
 * pipeline with five hundred nodes is far beyond any real one; nesting beyond 64 levels is
 * no graph at all (and deep enough JSON overflows the stack of anything that walks it
 * recursively: JSON.stringify, structuredClone, zod). At the limits a graph validates and
 * plans in about 0.1 s on a slow machine, so the server stays responsive while it does.
 */
export const GRAPH_LIMITS = {
  nodes: 500,
  edges: 2000,
  /** Levels of arrays and objects, the document itself being level 1. */
  depth: 64,
  /** Nodes that each hold an ffmpeg process for the whole run (Decoders, Encoders). */
  mediaNodes: 16,
} as const;

/** True when `value` nests arrays and objects deeper than `max` levels. Iterative: any depth is safe to measure. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
