/** An error as the CLI prints it: `error <CODE> <node>[.<field>]: <message>`, then its fix once, and a stack only for bugs. */
import { serializeError } from '../errors.js';

export function describeError(error: unknown): string {
  const e = serializeError(error);
  const where = e.node ? ` ${e.node}${e.field ? `.${e.field}` : ''}` : '';
  return `error ${e.code}${where}: ${e.message}${e.fix ? `\n  fix: ${e.fix}` : ''}${e.kind === 'bug' && e.stack ? `\n${e.stack}` : ''}`;
}
