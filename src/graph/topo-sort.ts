/**
 * Topological order of a directed graph, stable with respect to the given node order
 * (Kahn's algorithm, always taking the earliest ready node). When the graph has a cycle,
 * returns one cycle as a path of node ids, first id repeated at the end.
 */
export interface TopoResult {
  order: string[];
  cycle: string[] | null;
}

export function topoSort(ids: readonly string[], edges: readonly (readonly [string, string])[]): TopoResult {
  const rank = new Map(ids.map((id, i) => [id, i]));
  const successors = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const [from, to] of edges) {
    if (!rank.has(from) || !rank.has(to)) continue;
    successors.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const next of successors.get(id)!) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length === ids.length) return { order, cycle: null };
  return { order, cycle: findCycle(ids.filter((id) => indegree.get(id)! > 0), successors) };
}

function findCycle(candidates: string[], successors: Map<string, string[]>): string[] {
  const inCandidates = new Set(candidates);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of successors.get(id) ?? []) {
      if (!inCandidates.has(next)) continue;
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of candidates) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return candidates;
}
