// A small reader of the TypeScript sources' imports, for the architecture rules
// (docs/architecture.md) and the before/after figures of issue 13. No dependency: it reads
// `import ... from '...'`, `export ... from '...'` and `import('...')` with a regular
// expression and resolves relative specifiers to repository paths.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, posix } from 'node:path';

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. `src/faces/yunet.ts`. */
  path: string;
  lines: number;
  /** Resolved repository-relative targets of relative imports, and bare package names. */
  imports: { spec: string; target: string | null }[];
}

const ROOTS = ['src', 'server', 'client/src', 'nodes', 'bench'];
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveRelative(fromPath: string, spec: string, known: Set<string>): string | null {
  const base = posix.normalize(posix.join(posix.dirname(fromPath), spec));
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const c of [`${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, `${stem}/index.tsx`, base]) {
    if (known.has(c)) return c;
  }
  return base;
}

/** Every TypeScript source under the layered roots of `repo`. */
export function readSources(repo: string): SourceFile[] {
  const paths = ROOTS.flatMap((r) => walk(join(repo, r))).map((p) => relative(repo, p).split('\\').join('/'));
  const known = new Set(paths);
  return paths.sort().map((path) => {
    const text = readFileSync(join(repo, path), 'utf8');
    const imports: SourceFile['imports'] = [];
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec) continue;
      imports.push({ spec, target: spec.startsWith('.') ? resolveRelative(path, spec, known) : null });
    }
    return { path, lines: text.split('\n').length, imports };
  });
}

/** The layer ("folder") of a path: `src/faces/yunet.ts` → `src/faces`; `server/x.ts` → `server`. */
export function folderOf(path: string): string {
  // The package entry point re-exports the layers for outside node authors: a layer of its own.
  if (path === 'src/index.ts') return 'src/index';
  const parts = path.split('/');
  if (parts[0] === 'src' || parts[0] === 'client') return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return parts[0]!;
}

/** Folder-level import graph and the loops in it (strongly connected components of size > 1). */
export function folderLoops(files: SourceFile[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const f of files) {
    const from = folderOf(f.path);
    for (const i of f.imports) {
      if (!i.target) continue;
      const to = folderOf(i.target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const loops: string[][] = [];
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) loops.push(comp.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!idx.has(v)) visit(v);
  return loops;
}

export interface Rule {
  name: string;
  /** Files the rule applies to. */
  from: (path: string) => boolean;
  /** True when the import breaks the rule. */
  forbids: (imp: { spec: string; target: string | null }) => boolean;
}

export function violations(files: SourceFile[], rules: Rule[]): string[] {
  const out: string[] = [];
  for (const f of files) for (const r of rules) {
    if (!r.from(f.path)) continue;
    for (const i of f.imports) if (r.forbids(i)) out.push(`${r.name}: ${f.path} imports ${i.target ?? i.spec}`);
  }
  return out.sort();
}


/**
 * The files under `dir` with each subfolder seen as a layer of its own (`src/faces/yunet/x.ts`
 * → layer `src/faces-yunet`): `folderLoops` over them finds loops between a folder's parts.
 */
export function subfolderView(files: SourceFile[], dir: string): SourceFile[] {
  const inside = (p: string | null) => p !== null && p.startsWith(`${dir}/`);
  const flatten = (p: string) => {
    const rest = p.slice(dir.length + 1).split('/');
    return rest.length > 1 ? `${dir}-${rest[0]}/${rest.slice(1).join('/')}` : `${dir}-/${rest[0]}`;
  };
  return files
    .filter((f) => inside(f.path))
    .map((f) => ({ ...f, path: flatten(f.path), imports: f.imports.filter((i) => inside(i.target)).map((i) => ({ ...i, target: flatten(i.target!) })) }));
}
