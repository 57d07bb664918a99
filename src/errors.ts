/**
 * The error taxonomy (after n8n): a user error is bad input the user can fix (exit 2), an
 * operational error is the world failing — a file, a process, a model (exit 1), a cancel
 * is the user's own stop (exit 130). Anything else is a bug. Every error carries a stable
 * code, and the node it concerns when there is one.
 */
import type { ErrorKind, SerializedError } from './model/serialized-error.js';

export type { ErrorKind, SerializedError } from './model/serialized-error.js';

export interface ErrorDetails {
  /** Id of the node the error concerns. */
  node?: string;
  /** Port or parameter of that node. */
  field?: string;
  /** How to fix it, when the message alone does not say. */
  fix?: string;
  cause?: unknown;
}

export class FramefuseError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly node: string | undefined;
  readonly field: string | undefined;
  readonly fix: string | undefined;

  constructor(kind: ErrorKind, code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = kind === 'user' ? 'UserError' : kind === 'operational' ? 'OperationalError' : 'CancelledError';
    this.kind = kind;
    this.code = code;
    this.node = details.node;
    this.field = details.field;
    this.fix = details.fix;
  }

  /** A copy of this error attributed to a node (keeps an existing attribution). */
  forNode(node: string): FramefuseError {
    if (this.node !== undefined) return this;
    const copy = new FramefuseError(this.kind, this.code, this.message, {
      node,
      field: this.field,
      fix: this.fix,
      cause: this.cause,
    });
    copy.stack = this.stack;
    return copy;
  }

  toJSON(): SerializedError {
    return {
      kind: this.kind,
      code: this.code,
      message: this.message,
      ...(this.node === undefined ? {} : { node: this.node }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.fix === undefined ? {} : { fix: this.fix }),
    };
  }
}

export function userError(code: string, message: string, details?: ErrorDetails): FramefuseError {
  return new FramefuseError('user', code, message, details);
}

export function operationalError(code: string, message: string, details?: ErrorDetails): FramefuseError {
  return new FramefuseError('operational', code, message, details);
}

export function cancelledError(message = 'the run was cancelled'): FramefuseError {
  return new FramefuseError('cancelled', 'FF_CANCELLED', message);
}

export function isFramefuseError(error: unknown): error is FramefuseError {
  return error instanceof FramefuseError;
}

/** Any thrown value as a serializable error; unknown errors are reported as bugs. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof FramefuseError) return error.toJSON();
  if (error instanceof Error) {
    return { kind: 'bug', code: 'FF_INTERNAL', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { kind: 'bug', code: 'FF_INTERNAL', message: String(error) };
}

/** Rebuilds an error that crossed a thread or process boundary. */
export function deserializeError(data: SerializedError): Error {
  if (data.kind === 'bug') {
    const error = new Error(data.message);
    if (data.stack) error.stack = data.stack;
    return error;
  }
  return new FramefuseError(data.kind, data.code, data.message, {
    ...(data.node === undefined ? {} : { node: data.node }),
    ...(data.field === undefined ? {} : { field: data.field }),
    ...(data.fix === undefined ? {} : { fix: data.fix }),
  });
}

/** CLI exit code for an error: 2 for user errors, 130 for a cancel, 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof FramefuseError) {
    if (error.kind === 'user') return 2;
    if (error.kind === 'cancelled') return 130;
  }
  return 1;
}
