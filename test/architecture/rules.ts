// The import rules of docs/architecture.md, as data the test and the measurement share.
import type { Rule } from './import-graph.js';

const under = (dir: string) => (p: string | null) => p !== null && (p === dir || p.startsWith(`${dir}/`));

export const RULES: Rule[] = [
  {
    name: 'src/model imports only zod and itself',
    from: under('src/model'),
    forbids: (i) => (i.target === null ? i.spec !== 'zod' : !under('src/model')(i.target)),
  },
  {
    name: 'client imports only src/model from the server side',
    from: under('client'),
    forbids: (i) =>
      i.target !== null && !under('client')(i.target) && !under('src/model')(i.target),
  },
  {
    name: 'src/faces does not import src/run',
    from: under('src/faces'),
    forbids: (i) => under('src/run')(i.target),
  },
  {
    name: 'src/media does not import src/run',
    from: under('src/media'),
    forbids: (i) => under('src/run')(i.target),
  },
  {
    name: 'src/node-api does not import src/run',
    from: under('src/node-api'),
    forbids: (i) => under('src/run')(i.target),
  },
];

