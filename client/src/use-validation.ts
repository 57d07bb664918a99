/** Validation as you edit: the document goes to /api/validate a moment after the last change; problems and the plan come back. */
import { useEffect, useMemo, useState } from 'react';
import { api } from './api.ts';
import type { GraphDocument, Plan, Problem } from './types.ts';

export function useValidation(document: GraphDocument, enabled: boolean) {
  const [problems, setProblems] = useState<Problem[]>([]);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [checking, setChecking] = useState(false);
  // Positions do not change validity: leave them out of the key, so dragging does not re-validate.
  const key = useMemo(() => JSON.stringify({ ...document, nodes: document.nodes.map(({ position: _p, ...n }) => n) }), [document]);
  useEffect(() => {
    if (!enabled) return;
    let stale = false;
    setChecking(true);
    const timer = setTimeout(() => {
      api
        .validate(JSON.parse(key) as GraphDocument)
        .then((r) => {
          if (stale) return;
          setProblems(r.problems);
          setPlan(r.plan);
        })
        .catch((e: Error) => !stale && setProblems([{ code: 'FF_VALIDATE', severity: 'error', message: `validation failed: ${e.message}` }]))
        .finally(() => !stale && setChecking(false));
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key, enabled]);

  const problemsByNode = useMemo(() => {
    const map = new Map<string, { problems: Problem[]; params: Map<string, string> }>();
    for (const p of problems) {
      if (!p.node) continue;
      const entry = map.get(p.node) ?? { problems: [], params: new Map<string, string>() };
      entry.problems.push(p);
      if (p.field) entry.params.set(p.field.split('.')[0]!, p.message);
      map.set(p.node, entry);
    }
    return map;
  }, [problems]);

  return { problems, plan, problemsByNode, checking };
}
