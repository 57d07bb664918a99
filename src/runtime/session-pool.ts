/**
 * Sessions shared within one thread: nodes that open the same model file (by content
 * hash) with the same providers and options get the same session, created once and
 * released when the last of them disposes it.
 */
import { defaultModelsDir, resolveModel } from '../models/paths.js';
import { sha256File } from '../models/file-hash.js';
import { openModel, sessionSettingsKey } from './model-session.js';
import type { ModelSession, OpenModelOptions } from './model-session.js';
import { checkSignature } from './signature.js';
import { sessionHandle } from './session-handle.js';

interface Entry {
  session: Promise<ModelSession>;
  users: number;
}

export class SessionPool {
  private readonly entries = new Map<string, Entry>();

  /** Number of distinct open sessions. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * A handle on the shared session for this model and options. Disposing the handle
   * releases this user's share; the session closes with its last user.
   */
  async acquire(ref: string, options: OpenModelOptions = {}): Promise<ModelSession> {
    const modelsDir = options.modelsDir ?? defaultModelsDir(options.cwd);
    const { path } = await resolveModel(ref, modelsDir, options.cwd);
    const key = `${await sha256File(path)}|${sessionSettingsKey(options)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { session: openModel(path, { ...options, modelsDir }), users: 0 };
      this.entries.set(key, entry);
      entry.session.catch(() => this.entries.delete(key));
    }
    entry.users++;
    const shared = await entry.session.catch((error: unknown) => {
      entry.users--;
      throw error;
    });
    // Expectations are per caller: check them even when the session already existed.
    if (options.expect) {
      try {
        checkSignature(shared.file, shared, options.expect);
      } catch (error) {
        await this.handle(key, entry, shared).dispose();
        throw error;
      }
    }
    return this.handle(key, entry, shared);
  }

  private handle(key: string, entry: Entry, shared: ModelSession): ModelSession {
    return sessionHandle(shared, async () => {
      entry.users--;
      if (entry.users === 0 && this.entries.get(key) === entry) {
        this.entries.delete(key);
        await shared.dispose();
      }
    });
  }

  /** Closes every session (after a run, whatever happened). */
  async disposeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map(async (e) => (await e.session.catch(() => undefined))?.dispose()));
  }
}

/** The pool of this thread (each worker thread has its own module instance, hence its own pool). */
export const threadSessionPool = new SessionPool();
