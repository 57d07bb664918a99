/**
 * Validation of the files a graph names, by their declared parameter roles (never by
 * parameter names):
 *   - confinement (the server's sandbox): with a `confineTo` folder, every file a node
 *     names must lie inside it, else FF_PATH_UNSAFE, and nothing else is checked about
 *     that node, so the answer says nothing about files outside the folder;
 *   - inputs exist and are regular files (FF_MEDIA_MISSING, FF_MEDIA_NOT_FILE);
 *   - outputs: not a folder or device, their folder can take a new file
 *     (FF_OUTPUT_NOT_WRITABLE), and not a file the graph reads, however it is spelled:
 *     `./a/../b`, a symbolic or a hard link (FF_OUTPUT_IS_INPUT).
 */
import { randomBytes } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { resolveInside } from '../files/confined-path.js';
import { fileIdentity, sameFile } from '../files/file-identity.js';
import { nonRegularKind } from '../files/file-kind.js';
import { OUTPUT_IS_INPUT } from '../files/output-policy.js';
import { fileValues, type RoleValue } from '../model/param-roles.js';
import { problem, type Problem } from '../model/problem.js';
import { filesReadBy } from './read-files.js';
import type { ResolvedNode } from './resolved-graph.js';

export interface FileCheckOptions {
  /** Run the existence and writability checks (they touch the disk). */
  paths?: { cwd: string; models: string };
  /** Every file must lie inside this folder (the server's data folder). */
  confineTo?: string;
}

export interface FileCheckResult {
  problems: Problem[];
  /** Nodes that name a file outside `confineTo`: no other check may look at their files. */
  confined: Set<string>;
}

const MEDIA_NOUN = { video: 'Input video', image: 'Image' } as const;

/** The one answer for every path outside the sandbox, whatever is (or is not) there. */
function outsideProblem(node: string, param: string): Problem {
  return problem('FF_PATH_UNSAFE', `"${param}" must name a file inside the data folder, as a relative path without ".."`, { node, field: param });
}

async function checkInput(node: string, { param, role, value }: RoleValue, cwd: string): Promise<Problem | null> {
  if (role.role !== 'input-file') return null;
  const file = resolve(cwd, value);
  const noun = MEDIA_NOUN[role.media];
  const info = await stat(file).catch(() => null);
  if (!info) return problem('FF_MEDIA_MISSING', `${noun} ${file} does not exist.`, { node, field: param });
  const kind = nonRegularKind(info);
  if (kind === 'a folder') return problem('FF_MEDIA_MISSING', `${noun} ${file} is a folder, not a file.`, { node, field: param });
  if (kind) return problem('FF_MEDIA_NOT_FILE', `${noun} ${file} is ${kind}, not a file; give the path of a ${role.media} file.`, { node, field: param });
  return null;
}

/** The deepest existing ancestor of `path` (the folder a new file would be created in). */
async function existingFolderOf(path: string): Promise<{ dir: string; isFolder: boolean }> {
  let dir = dirname(path);
  for (;;) {
    const info = await stat(dir).catch(() => null);
    if (info) return { dir, isFolder: info.isDirectory() };
    const parent = dirname(dir);
    if (parent === dir) return { dir, isFolder: false };
    dir = parent;
  }
}

/**
 * Whether a new file can be created in `dir`, by creating (and removing) one: the only
 * test that also holds for root, read-only mounts and full disks. Returns the errno code.
 */
async function cannotCreateIn(dir: string): Promise<string | null> {
  const probe = join(dir, `.framefuse-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
    await unlink(probe);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

async function checkOutput(node: string, param: string, target: string): Promise<Problem | null> {
  const where = { node, field: param };
  const info = await stat(target).catch(() => null);
  const kind = info ? nonRegularKind(info) : null;
  if (kind) return problem('FF_OUTPUT_NOT_WRITABLE', `Output path ${target} is ${kind}; give a file name, e.g. out.mp4.`, where);
  const { dir, isFolder } = await existingFolderOf(target);
  if (!isFolder) return problem('FF_OUTPUT_NOT_WRITABLE', `Cannot create the output folder for ${target}: ${dir} is not a folder.`, where);
  const code = await cannotCreateIn(dir);
  if (code) return problem('FF_OUTPUT_NOT_WRITABLE', `Cannot write into ${dir} (${code}), where ${target} would go; choose a folder you can write to.`, where);
  return null;
}

export async function checkFiles(nodes: readonly ResolvedNode[], options: FileCheckOptions): Promise<FileCheckResult> {
  const problems: Problem[] = [];
  const confined = new Set<string>();
  const named = nodes.map((node) => ({ node, files: fileValues(node.definition.params, node.params as Record<string, unknown>) }));

  if (options.confineTo !== undefined) {
    for (const { node, files } of named) {
      for (const { param, value } of files) {
        try {
          resolveInside(options.confineTo, value);
        } catch {
          problems.push(outsideProblem(node.id, param));
          confined.add(node.id);
        }
      }
    }
  }
  const paths = options.paths;
  if (!paths) return { problems, confined };

  const checked = named.filter(({ node }) => !confined.has(node.id));
  for (const { node, files } of checked) {
    for (const file of files) {
      const found = await checkInput(node.id, file, paths.cwd);
      if (found) problems.push(found);
    }
  }
  const reads = await filesReadBy(
    checked.map(({ node }) => node),
    paths,
  );
  for (const { node, files } of checked) {
    for (const { param, role, value } of files) {
      if (role.role !== 'output-file') continue;
      const target = resolve(paths.cwd, value);
      const identity = await fileIdentity(target);
      const read = reads.find((r) => r.path === target || sameFile(r.identity, identity));
      if (read) {
        const reader = read.param ? `${read.node}.${read.param}` : `a model of ${read.node}`;
        problems.push(problem(OUTPUT_IS_INPUT, `the output ${value} is the same file as ${reader} reads (${read.path}); writing it would destroy the input: give the output another name`, { node: node.id, field: param }));
        continue;
      }
      const found = await checkOutput(node.id, param, target);
      if (found) problems.push(found);
    }
  }
  return { problems, confined };
}
