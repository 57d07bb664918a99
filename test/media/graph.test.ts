/**
 * Decoder -> Encoder through the real engine and the real CLI:
 *
 *   [Decoder] --frames--> [Encoder]
 *             --audio---->
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { prepareGraph } from '../../src/run/prepare-graph.js';
import { runPlan } from '../../src/run/run-plan.js';
import { isFramefuseError } from '../../src/errors.js';
import type { GraphDocument } from '../../src/model/document.js';
import { REAL_CLIP, childFfmpegPids, decodeAll, makeClip, tempDir, tools } from './media-helpers.js';

const BIN = 'bin/framefuse.js';
const dir = tempDir();
const av = makeClip(join(dir, 'av.mp4'), { width: 96, height: 64, fps: 25, seconds: 2, audio: true });

function transcode(decoder: Record<string, unknown>, encoder: Record<string, unknown>): GraphDocument {
  const doc = JSON.parse(readFileSync('graphs/transcode.json', 'utf8')) as GraphDocument;
  doc.nodes[0]!.params = decoder;
  doc.nodes[1]!.params = encoder;
  return doc;
}

async function prepare(doc: GraphDocument, cwd = process.cwd()) {
  return prepareGraph(doc, await loadNodeRegistry(), { providers: ['cpu'], cwd });
}

test('runs a Decoder -> Encoder graph: the output has every frame and the audio', async () => {
  const out = join(dir, 'graph-out.mp4');
  const { graph, plan, problems } = await prepare(transcode({ path: av }, { path: out, preset: 'ultrafast' }));
  assert.deepEqual(problems, []);
  const { outputs, metrics } = await runPlan(graph!, plan!);
  const result = outputs.encoder as { path: string; frames: number; audio: string };
  assert.equal(result.path, out);
  assert.equal(result.frames, 50);
  assert.equal(result.audio, 'copied');
  assert.ok(metrics);
  const back = await decodeAll({ path: out });
  assert.equal(back.frames.length, 50);
  assert.equal(back.opened.audio.streamIndex, 1);
});

test('validate reports a missing input video as FF_MEDIA_MISSING on decoder.path', async () => {
  const { problems, graph } = await prepare(transcode({ path: 'nowhere/clip.mp4' }, { path: join(dir, 'x.mp4') }));
  assert.equal(graph, null);
  assert.deepEqual(
    problems.map((p) => [p.code, p.node, p.field]),
    [['FF_MEDIA_MISSING', 'decoder', 'path']],
  );
});

test('a file that is not a video fails the run with a user error attributed to the decoder, and writes nothing', async () => {
  const text = join(dir, 'notes.mp4');
  writeFileSync(text, 'not a video at all\n');
  const sub = tempDir();
  const { graph, plan } = await prepare(transcode({ path: text }, { path: join(sub, 'out.mp4') }));
  await assert.rejects(runPlan(graph!, plan!), (e: unknown) => isFramefuseError(e) && e.code === 'FF_MEDIA_NOT_VIDEO' && e.kind === 'user' && e.node === 'decoder');
  assert.deepEqual(readdirSync(sub), []);
});

test('cancelling a run kills both ffmpeg processes and leaves no output', async () => {
  const sub = tempDir();
  const { graph, plan } = await prepare(transcode({ path: REAL_CLIP }, { path: join(sub, 'out.mp4'), preset: 'ultrafast' }));
  const controller = new AbortController();
  let seen: number[] = [];
  const run = runPlan(graph!, plan!, {
    signal: controller.signal,
    progressIntervalMs: 20,
    onEvent: (event) => {
      if (event.type === 'progress' && seen.length === 0) {
        seen = childFfmpegPids();
        if (seen.length === 2) controller.abort();
      }
    },
  });
  // If progress never caught both processes at once, cancel anyway so the test ends.
  const fallback = setTimeout(() => controller.abort(), 400);
  await assert.rejects(run, (e: unknown) => isFramefuseError(e) && e.code === 'FF_CANCELLED');
  clearTimeout(fallback);
  assert.deepEqual(childFfmpegPids(), []);
  assert.deepEqual(readdirSync(sub), []);
});

test('`framefuse run` converts the real clip; a bad input exits 2 with no output file', () => {
  const sub = tempDir();
  const out = join(sub, 'real.mp4');
  const ok = spawnSync(process.execPath, [BIN, 'run', 'graphs/transcode.json', '--set', `encoder.path=${out}`, '--set', 'encoder.preset=ultrafast', '--quiet'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(existsSync(out));
  const count = spawnSync(tools.ffprobe!.path, ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', out], { encoding: 'utf8' });
  assert.equal(count.stdout.trim(), '640,360,240');

  const text = join(dir, 'list.txt');
  writeFileSync(text, 'eggs\nmilk\n');
  const bad = spawnSync(process.execPath, [BIN, 'run', 'graphs/transcode.json', '--set', `decoder.path=${text}`, '--set', `encoder.path=${join(sub, 'bad.mp4')}`, '--quiet'], { encoding: 'utf8' });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /FF_MEDIA_NOT_VIDEO/);
  assert.match(bad.stderr, /list\.txt is a text file, not a video/);
  assert.deepEqual(readdirSync(sub), ['real.mp4']);
});

test('`framefuse run` interrupted with SIGINT exits 130 and leaves no ffmpeg and no output', async () => {
  const sub = tempDir();
  const long = makeClip(join(sub, 'long.mp4'), { width: 320, height: 240, fps: 25, seconds: 20 });
  const out = join(sub, 'out.mp4');
  const child = spawn(process.execPath, [BIN, 'run', 'graphs/transcode.json', '--set', `decoder.path=${long}`, '--set', `encoder.path=${out}`, '--set', 'encoder.preset=veryslow', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Wait until the encoder's temporary file exists and both ffmpeg processes run (the .part
  // file is made before the encoder's ffmpeg starts: on a loaded machine the gap is seconds).
  const grandchildren = () => spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  const deadline = Date.now() + 20_000;
  while (!(readdirSync(sub).some((n) => n.includes('.part')) && grandchildren().length >= 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const ffmpegs = grandchildren();
  assert.ok(ffmpegs.length >= 2, `ffmpeg processes running: ${ffmpegs.join(',')} ${stderr}`);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  for (const pid of ffmpegs) assert.equal(spawnSync('kill', ['-0', String(pid)]).status === 0, false, `process ${pid} is gone`);
  assert.deepEqual(readdirSync(sub).filter((n) => n !== 'long.mp4'), []);
});

test('`framefuse doctor --json` reports the ffmpeg found, its encoders and the providers', async () => {
  // In a child process: the test runner owns this process's stdout.
  const script = `
    import { Command } from 'commander';
    import { register } from './dist/src/cli/commands/doctor.js';
    const program = new Command('framefuse');
    register(program);
    await program.parseAsync(['node', 'framefuse', 'doctor', '--json']);`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as {
    media: { ffmpeg: { path: string; source: string; version: string }; codecs: { codec: string; software: { available: boolean }; hardware: { encoder: string; ok: boolean; reason?: string }[] }[] };
    providers: { name: string; available: boolean }[];
  };
  assert.equal(report.media.ffmpeg.path, tools.ffmpeg.path);
  assert.match(report.media.ffmpeg.version, /^ffmpeg version/);
  const h264 = report.media.codecs.find((c) => c.codec === 'h264')!;
  assert.equal(h264.software.available, true);
  assert.deepEqual(h264.hardware.map((h) => h.encoder), ['h264_nvenc', 'h264_qsv', 'h264_vaapi']);
  for (const h of h264.hardware) assert.ok(h.ok || (h.reason ?? '').length > 0, `${h.encoder} says why it does not work`);
  assert.ok(report.providers.some((p) => p.name === 'cpu' && p.available));
});
