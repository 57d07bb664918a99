// The import rules of docs/architecture.md hold over the TypeScript sources. A new import
// that breaks a rule fails this test; so does a listed, still-pending violation that has been
// fixed but not removed from PENDING (the list may only shrink).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { folderLoops, readSources, subfolderView, violations, type SourceFile } from './import-graph.js';
import { RULES } from './rules.js';

// Known breaks on the way to the target layering (issue 13). Remove a line when its import
// is gone; the list may only shrink.
const PENDING: string[] = [];

describe('architecture: import rules', () => {
  const files = readSources('.');

  test('the checker reads the real sources and resolves relative imports', () => {
    assert.ok(files.length > 100, `only ${files.length} sources found; run from the repository root`);
    const model = files.filter((f) => f.path.startsWith('src/model/'));
    assert.ok(model.length > 0, 'no files under src/model');
    const resolved = files.flatMap((f) => f.imports).filter((i) => i.target?.endsWith('.ts'));
    assert.ok(resolved.length > 500, 'relative imports did not resolve to .ts files');
  });

  test('no import breaks a rule beyond the pending list', () => {
    const found = violations(files, RULES);
    const added = found.filter((v) => !PENDING.includes(v));
    assert.deepEqual(added, [], 'new import(s) break docs/architecture.md rules: move the shared type down a layer');
    const fixed = PENDING.filter((v) => !found.includes(v));
    assert.deepEqual(fixed, [], 'fixed: remove these lines from PENDING in test/architecture/imports.test.ts');
  });

  test('each rule catches a breaking import (the rules can fail)', () => {
    const fake = (path: string, target: string | null, spec = '../x.js'): SourceFile => ({
      path, lines: 1, imports: [{ spec, target }],
    });
    const cases: SourceFile[] = [
      fake('src/model/a.ts', null, 'express'),
      fake('src/model/a.ts', 'src/run/b.ts'),
      fake('client/src/a.ts', 'src/run/b.ts'),
      fake('src/faces/a.ts', 'src/run/b.ts'),
      fake('src/media/a.ts', 'src/run/b.ts'),
      fake('src/node-api/a.ts', 'src/run/b.ts'),
    ];
    for (const c of cases) assert.equal(violations([c], RULES).length, 1, `${c.path} → ${c.imports[0]!.target ?? c.imports[0]!.spec}`);
    assert.deepEqual(violations([fake('src/model/a.ts', null, 'zod'), fake('client/src/a.ts', 'src/model/b.ts')], RULES), []);
  });

  test('folder-level import loops do not grow', () => {
    // None left: onnxruntime's import point (ort.ts, native-gate.ts) lives in src/onnx, and
    // tuneGraph (which runs plans) in src/run beside the scheduler it drives.
    const known: string[][] = [];
    const loops = folderLoops(files);
    const added = loops.filter((l) => !known.some((k) => k.join() === l.join()));
    assert.deepEqual(added, [], 'a new folder-level import loop');
    const gone = known.filter((k) => !loops.some((l) => l.join() === k.join()));
    assert.deepEqual(gone, [], 'loop gone: remove it from the known list in this test');
  });

  test('the parts of src/faces import each other without loops (families import detect/, the registry in detectors/ imports the families)', () => {
    assert.deepEqual(folderLoops(subfolderView(files, 'src/faces')), []);
    // The view itself can find a loop.
    const a = { path: 'src/faces/a/x.ts', lines: 1, imports: [{ spec: '../b/y.js', target: 'src/faces/b/y.ts' }] };
    const b = { path: 'src/faces/b/y.ts', lines: 1, imports: [{ spec: '../a/x.js', target: 'src/faces/a/x.ts' }] };
    assert.deepEqual(folderLoops(subfolderView([a, b], 'src/faces')), [['src/faces-a', 'src/faces-b']]);
  });

  test('folder-level loops are found', () => {
    const a = { path: 'src/a/x.ts', lines: 1, imports: [{ spec: '../b/y.js', target: 'src/b/y.ts' }] };
    const b = { path: 'src/b/y.ts', lines: 1, imports: [{ spec: '../a/x.js', target: 'src/a/x.ts' }] };
    assert.deepEqual(folderLoops([a, b]), [['src/a', 'src/b']]);
    assert.deepEqual(folderLoops([a]), []);
  });
});
