/**
 * The graph inside an output: `framefuse run` embeds the graph document in the mp4/mkv it
 * writes (a metadata tag), and `framefuse graph-of` reads it back, checked, from a real file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFfmetadata } from '../../src/media/graph-tag.js';
import { tempDir } from './media-helpers.js';
import { cli, transcodeGraph } from '../safety/safety-helpers.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

test('ffmetadata: escaped = ; # \\ and newlines come back as written; stream sections are not container tags', () => {
  const tags = parseFfmetadata(';FFMETADATA1\nencoder=Lavf\nframefuse_graph={"a\\=b"\\:1\\;\\#x\\\\y\\\nz}\n[STREAM]\ntitle=stream\n'.replace('\\:', ':'));
  assert.equal(tags.get('framefuse_graph'), '{"a=b":1;#x\\y\nz}');
  assert.equal(tags.get('encoder'), 'Lavf');
  assert.equal(tags.has('title'), false);
});

test('mp4 and mkv outputs carry their graph; graph-of prints it, writes it only to a new file, and says when a file has none', () => {
  const dir = tempDir('framefuse-graph-tag-');
  for (const ext of ['mp4', 'mkv']) {
    const out = join(dir, `out.${ext}`);
    const document = { ...transcodeGraph(CLIP, out), name: `embedded ${ext}`, description: 'quotes " and = ; # \\ survive' };
    document.nodes[0]!.params = { path: CLIP, end: 12 };
    const graphFile = join(dir, `g-${ext}.json`);
    writeFileSync(graphFile, JSON.stringify(document));
    const run = cli(['run', graphFile, '--quiet', '--provider', 'cpu']);
    assert.equal(run.code, 0, run.stderr);
    const shown = cli(['graph-of', out]);
    assert.equal(shown.code, 0, shown.stderr);
    const back = JSON.parse(shown.stdout);
    assert.equal(back.name, `embedded ${ext}`);
    assert.equal(back.description, document.description);
    assert.deepEqual(back.nodes.map((n: { id: string; params: unknown }) => [n.id, n.params]), document.nodes.map((n) => [n.id, n.params]));
    assert.deepEqual(back.edges, document.edges);
  }
  const target = join(dir, 'again.json');
  assert.equal(cli(['graph-of', join(dir, 'out.mp4'), '-o', target]).code, 0);
  assert.equal(JSON.parse(readFileSync(target, 'utf8')).name, 'embedded mp4');
  const twice = cli(['graph-of', join(dir, 'out.mp4'), '-o', target]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /FF_OUTPUT_EXISTS: .*again\.json exists already; it is kept/);
  const none = cli(['graph-of', CLIP]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /FF_NO_EMBEDDED_GRAPH: .* has no embedded graph/);
  assert.ok(existsSync(target));
});
