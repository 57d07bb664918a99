/**
 * A validation problem: a stable code, the node and the port or parameter it concerns,
 * and a message that says how to fix it. Validation collects every problem at once.
 */
import { z } from 'zod';

export const zSeverity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof zSeverity>;

export const zProblem = z.object({
  code: z.string(),
  severity: zSeverity,
  node: z.string().optional(),
  /** The port or parameter of `node`, or a document field. */
  field: z.string().optional(),
  message: z.string(),
});
export type Problem = z.infer<typeof zProblem>;

export function problem(code: string, message: string, where: { node?: string; field?: string } = {}, severity: Severity = 'error'): Problem {
  return {
    code,
    severity,
    ...(where.node === undefined ? {} : { node: where.node }),
    ...(where.field === undefined ? {} : { field: where.field }),
    message,
  };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** `<file>: <CODE> <node>[.<field>]: <message>` — one line, as the CLI prints it. */
export function formatProblem(file: string, p: Problem): string {
  const where = p.node === undefined ? (p.field ?? '') : p.field === undefined ? p.node : `${p.node}.${p.field}`;
  const label = p.severity === 'warning' ? `warning ${p.code}` : p.code;
  return `${file}: ${label}${where ? ` ${where}` : ''}: ${p.message}`;
}
