import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram } from '../../src/cli/main.js';

// The README's recipes are what a user copies first: every command in a block marked
// `<!-- recipe: offline -->` runs here as written (in a folder laid out like the checkout),
// and every `framefuse` command the README shows names a command that exists.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The `framefuse ...` lines of the ```sh blocks right after each offline marker. */
function offlineRecipes(markdown: string): string[] {
  const found: string[] = [];
  const block = /<!-- recipe: offline -->\s*```sh\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(block)) {
    for (const line of (m[1] ?? '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command.startsWith('framefuse ')) found.push(command);
    }
  }
  return found;
}

/** Every line of every code block that starts with `framefuse `. */
function allCommandLines(markdown: string): string[] {
  return [...markdown.matchAll(/```(?:sh)?\n([\s\S]*?)```/g)]
    .flatMap((m) => (m[1] ?? '').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('framefuse '));
}

test('every framefuse command in the README exists', () => {
  const known = new Set(buildProgram().commands.map((c) => c.name()));
  const lines = allCommandLines(README);
  assert.ok(lines.length >= 10, `only ${lines.length} framefuse lines found in the README's code blocks`);
  for (const line of lines) {
    const name = line.split(/\s+/)[1] ?? '';
    assert.ok(known.has(name), `README: "${line}" names no framefuse command`);
  }
});

describe('the README recipes that run offline', () => {
  const recipes = offlineRecipes(README);
  const cwd = mkdtempSync(join(tmpdir(), 'framefuse-recipes-'));
  for (const dir of ['graphs', 'samples', 'models']) symlinkSync(join(ROOT, dir), join(cwd, dir));

  test('there are recipes to run', () => {
    assert.ok(recipes.length >= 5, `only ${recipes.length} offline recipe commands found`);
  });

  for (const recipe of recipes) {
    test(recipe, () => {
      // No shell: the recipes use no quoting, pipes or variables.
      const args = recipe.split(/\s+/).slice(1);
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'framefuse.js'), ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
      assert.equal(r.status, 0, `${recipe}\n${r.stdout}${r.stderr}`);
      const output = /encoder\.path=(\S+)/.exec(recipe)?.[1];
      if (output) assert.ok(existsSync(join(cwd, output)) && statSync(join(cwd, output)).size > 10_000, `${recipe} wrote no ${output}`);
    });
  }

  after(() => rmSync(cwd, { recursive: true, force: true }));
});
