/**
 * One user's handle on a session that outlives it (shared in a pool, or parked between
 * runs): it reads and runs through the session until disposed; its dispose runs `release`
 * once, and the session's fate is the owner's to decide.
 */
import type { ModelSession } from './model-session.js';

export function sessionHandle(session: ModelSession, release: () => Promise<void>): ModelSession {
  let released = false;
  return {
    get file() { return session.file; },
    get loadedFile() { return session.loadedFile; },
    get hash() { return session.hash; },
    get inputs() { return session.inputs; },
    get outputs() { return session.outputs; },
    get provider() { return session.provider; },
    get providerReason() { return session.providerReason; },
    get applied() { return session.applied; },
    get runs() { return session.runs; },
    get runBatch() { return session.runBatch; },
    run: (feeds) => {
      if (released) return Promise.reject(new Error(`the session for ${session.file} was disposed`));
      return session.run(feeds);
    },
    async dispose() {
      if (released) return;
      released = true;
      await release();
    },
  };
}
