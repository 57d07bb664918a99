/**
 * onnxruntime-node, imported once, with framefuse's logging and its native-call gate.
 *
 * Logging: onnxruntime logs its own errors to stderr (a missing CUDA library, say) before
 * it throws; framefuse catches those errors and reports them itself (provider fallback says
 * why), so the native lines are noise. FRAMEFUSE_ORT_LOG=verbose|info|warning|error brings
 * them back for debugging. It must be set before the first session is created, hence this
 * one import point.
 *
 * The gate (native-gate.ts): every session's create, run and release pass through it, so
 * the process can wait for in-flight native calls before it ends. It is installed on the
 * session class itself, so every session in the process is covered, whoever creates it.
 */
import ort from 'onnxruntime-node';
import { throughNativeGate } from './native-gate.js';

const LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
const wanted = process.env.FRAMEFUSE_ORT_LOG;
ort.env.logLevel = (LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as (typeof LEVELS)[number]) : 'fatal';

type AnyAsync = (...args: unknown[]) => Promise<unknown>;
const GATED = Symbol.for('framefuse.nativeGate.installed');

function gate(owner: Record<string, unknown>, name: string): void {
  const original = owner[name] as AnyAsync;
  owner[name] = function gated(this: unknown, ...args: unknown[]) {
    return throughNativeGate(() => original.apply(this, args));
  };
}

const sessionClass = ort.InferenceSession as unknown as Record<string | symbol, unknown> & { prototype: Record<string, unknown> };
if (!sessionClass[GATED]) {
  sessionClass[GATED] = true;
  gate(sessionClass, 'create');
  gate(sessionClass.prototype, 'run');
  gate(sessionClass.prototype, 'release');
}

export default ort;
