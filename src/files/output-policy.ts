/**
 * How a run writes its output files. By default a finished file goes to a new name when
 * the one asked for is taken (`out.mp4` -> `out-1.mp4`); with `overwrite` it replaces the
 * existing file, except that no run ever replaces a file that a node of the same run reads
 * (its input video, a model), nor a file in a protected folder (the server's uploads).
 * Plain data (types only, no Node imports: the editor's types reach it), so it travels to
 * worker threads with the rest of a stage. replace-guard.ts enforces it.
 */

/** Which file a path names, however it is spelled: device and inode as decimal strings (see file-identity.ts). */
export interface FileIdentity {
  dev: string;
  ino: string;
}

export interface OutputPolicy {
  /** Replace an existing file of the same name instead of taking the next free numbered name. */
  overwrite: boolean;
  /** Files the run reads (inputs, models): never written, whatever `overwrite` says. */
  readFiles: FileIdentity[];
  /** Folders whose existing files are never replaced (the server's uploads and graphs). */
  protectedFolders: string[];
  /** The run's graph document as JSON, embedded in each output written (a metadata tag; `framefuse graph-of` reads it back). */
  embedGraph?: string;
}

export const DEFAULT_OUTPUT_POLICY: OutputPolicy = { overwrite: false, readFiles: [], protectedFolders: [] };

export const OUTPUT_IS_INPUT = 'FF_OUTPUT_IS_INPUT';
