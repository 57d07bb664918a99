import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// The package's own name resolves through package.json `exports` (self-reference), as it
// would for an outside node package that depends on framefuse.
test('the framefuse entry point exports defineNode, the role helpers and the port types', async () => {
  const name = 'framefuse'; // a variable, so the compiler does not look for declarations
  const api = (await import(name)) as typeof import('../../src/index.js');
  assert.equal(typeof api.defineNode, 'function');
  assert.equal(typeof api.inputFile, 'function');
  assert.equal(typeof api.modelRef, 'function');
  assert.equal(typeof api.canConnect, 'function');
  assert.ok(api.PORT_TYPE_NAMES.includes('Frames'));
});

test('package.json exports only the entry point, so internals are not importable by path', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    exports: Record<string, string>;
  };
  assert.deepEqual(Object.keys(pkg.exports), ['.']);
});
