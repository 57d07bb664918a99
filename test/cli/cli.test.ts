import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_NODES_DIR, gone } from '../helpers.js';

const BIN = 'bin/framefuse.js';
const env = { ...process.env, FRAMEFUSE_NODE_PATH: TEST_NODES_DIR };

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('framefuse CLI', () => {
  test('validate: a valid graph exits 0', () => {
    const r = cli(['validate', 'test/graphs/checksum.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /test\/graphs\/checksum.json: valid \(6 nodes, 4 stages\)/);
  });

  test('validate: a broken graph reports every problem, one line each, and exits 2', () => {
    const r = cli(['validate', 'test/graphs/broken.json']);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    const expected = [
      /^test\/graphs\/broken.json: FF_PARAM_INVALID src.frames: frames must be at least 0 \(got -4\)$/,
      /^test\/graphs\/broken.json: FF_UNKNOWN_NODE_TYPE t: unknown node type "TestTransfrom" \(did you mean "TestTransform"\?\)/,
      /^test\/graphs\/broken.json: FF_DUPLICATE_ID a: /,
      /^test\/graphs\/broken.json: FF_PORT_TYPE_MISMATCH a.frames: edge img.image -> a.frames: a Image output cannot feed a Frames input/,
      /^test\/graphs\/broken.json: FF_DANGLING_EDGE sink: edge nowhere.frames -> sink.frames: there is no node "nowhere"/,
      /^test\/graphs\/broken.json: FF_CYCLE b: the graph has a cycle: b -> b/,
    ];
    for (const pattern of expected) assert.ok(lines.some((l) => pattern.test(l)), `no line matches ${pattern}:\n${r.stderr}`);
    assert.ok(lines.every((l) => /^test\/graphs\/broken.json: (warning )?FF_[A-Z_]+ /.test(l)), r.stderr);
  });

  test('validate graphs/*.json: the shipped graphs pass and graph.schema.json is skipped, not failed', () => {
    const r = cli(['validate', 'graphs/anonymize.json', 'graphs/graph.schema.json', 'graphs/transcode.json', '--no-checks']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^graphs\/graph.schema.json: skipped \(a JSON Schema, not a graph\)$/m);
    assert.match(r.stdout, /^graphs\/anonymize.json: valid /m);
    assert.match(r.stdout, /^graphs\/transcode.json: valid /m);
  });

  test('validate: malformed JSON names file, line and column', () => {
    const r = cli(['validate', 'test/graphs/syntax-error.json', 'test/graphs/no-such.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^test\/graphs\/syntax-error.json: FF_JSON_SYNTAX: line 4, column 17: expected ',' or '}'/m);
    assert.match(r.stderr, /^test\/graphs\/no-such.json: FF_FILE_NOT_FOUND: no such file$/m);
  });

  test('plan: prints the stages and the fused group; --json prints the plan', () => {
    const table = cli(['plan', 'test/graphs/checksum.json']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /s3\s+accelerator\s+a1 \+ a2\s+4 \(batch, 20 ms\)\s+yes/);
    assert.match(table.stdout, /fused: a1 -> a2 run as one batched call chain/);
    const json = JSON.parse(cli(['plan', 'test/graphs/checksum.json', '--json']).stdout);
    assert.deepEqual(json.stages.map((s: { nodes: string[] }) => s.nodes), [['src'], ['t'], ['a1', 'a2'], ['sink']]);
  });

  test('nodes: the catalog lists ports and params as JSON Schema', () => {
    const r = cli(['nodes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const catalog = JSON.parse(r.stdout);
    const batcher = catalog.nodes.find((n: { type: string }) => n.type === 'Batcher');
    assert.deepEqual(batcher.inputs, [{ name: 'frames', type: 'Frames', rate: 'stream', description: batcher.inputs[0].description, optional: false }]);
    assert.deepEqual(batcher.params.properties.size.enum, ['auto', 1, 2, 4, 8, 16, 32]);
    assert.equal(batcher.params.properties.deadlineMs.maximum, 10000);
    assert.ok(catalog.portTypes.Faces.color);
  });

  test('run: runs, applies --set, writes metrics, exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-cli-'));
    const metrics = join(dir, 'm.json');
    const r = cli(['run', 'test/graphs/checksum.json', '--set', 'src.frames=13', '--metrics', metrics]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /done: 13 frames in/);
    const m = JSON.parse(readFileSync(metrics, 'utf8'));
    assert.equal(m.frames, 13);
    assert.deepEqual(m.stages.find((s: { fused: boolean }) => s.fused).nodes, ['a1', 'a2']);
  });

  test('run --json streams events as JSON lines', () => {
    const r = cli(['run', 'test/graphs/checksum.json', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; outputs?: { sink: { frames: number } } });
    assert.equal(events[0]!.type, 'started');
    assert.equal(events.at(-1)!.type, 'finished');
    assert.equal(events.at(-1)!.outputs!.sink.frames, 24);
  });

  test('run: a node failure exits 1 and names the node; invalid input exits 2', () => {
    const failed = cli(['run', 'test/graphs/checksum.json', '--set', 'a2.failAt=7']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /error FF_NODE_FAILED a2: injected failure at frame 7/);
    const invalid = cli(['run', 'test/graphs/checksum.json', '--set', 'batch.size=3']);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /FF_PARAM_INVALID batch.size: size must be one of "auto", 1, 2, 4, 8, 16, 32 \(got 3\)/);
    const badProvider = cli(['run', 'test/graphs/checksum.json', '--provider', 'metal']);
    assert.equal(badProvider.code, 2);
    assert.match(badProvider.stderr, /unknown execution provider "metal"/);
  });

  test('run interrupted with SIGINT exits 130 within 2 seconds and leaves no child process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-sigint-'));
    const pidFile = join(dir, 'pid');
    const graphFile = join(dir, 'slow.json');
    const doc = JSON.parse(readFileSync('test/graphs/checksum.json', 'utf8'));
    doc.nodes.find((n: { id: string }) => n.id === 'src').params = { frames: 1_000_000, chunk: 1, delayMs: 5 };
    doc.nodes.find((n: { id: string }) => n.id === 'a1').params = { blockMs: 30 };
    doc.nodes.find((n: { id: string }) => n.id === 'sink').params = { child: true, pidFile };
    writeFileSync(graphFile, JSON.stringify(doc));
    const child = spawn(process.execPath, [BIN, 'run', graphFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(pidFile), `the run did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const took = Date.now() - sentAt;
    assert.equal(code, 130, stderr);
    assert.ok(took < 2000, `exit took ${took} ms`);
    assert.match(stderr, /cancelled/);
    assert.equal(await gone(Number(readFileSync(pidFile, 'utf8')), 1000), true, 'the child process is gone');
  });

  test('bench: per-frame against planned at each batch size, as JSON and SVG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-bench-'));
    const r = cli(['bench', 'test/graphs/checksum.json', '--batch', '1,4', '--rounds', '2', '--json', join(dir, 'b.json'), '--svg', join(dir, 'b.svg')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    assert.equal(report.perFrame.frames, 24);
    assert.equal(report.rounds, 2);
    assert.equal(report.perFrame.threads, null, 'the baseline uses every core for a model');
    assert.equal(report.perFrameOneThread.threads, 1);
    assert.equal(report.perFrameOneThread.frames, 24);
    // Pipeline time is inside the process's wall time, and throughput is taken over it.
    assert.ok(report.perFrame.pipelineMs > 0 && report.perFrame.pipelineMs < report.perFrame.wallMs);
    assert.ok(Math.abs(report.perFrame.pipelineFps - (24 * 1000) / report.perFrame.pipelineMs) < 1e-6);
    assert.ok(Math.abs(report.ratio - report.planned[0].pipelineFps / report.perFrame.pipelineFps) < 1e-9);
    assert.deepEqual(report.planned.map((p: { batch: number | null }) => p.batch), [null, 1, 4]);
    assert.ok(report.ratio > 0 && report.efficiency > 0 && report.peakRssMb > 10);
    const fused = report.planned[2].stages.find((s: { nodes: string[] }) => s.nodes.join('+') === 'a1+a2');
    // Batches of up to 4; under load the 20 ms flush deadline may send some partial ones.
    assert.ok(fused.avgBatch > 1 && fused.avgBatch <= 4, `avg batch ${fused.avgBatch}`);
    assert.match(readFileSync(join(dir, 'b.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*s3 a1\+a2[\s\S]*<\/svg>\n$/);
  });

  test('--help on every command shows examples', () => {
    for (const command of ['validate', 'plan', 'nodes', 'run', 'schema', 'bench', 'models', 'doctor', 'serve']) {
      const r = cli([command, '--help']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, /Examples:\n\s+\$ framefuse /, command);
    }
  });
});
