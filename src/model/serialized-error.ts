/**
 * An error as it crosses a thread, a process or the socket to the editor: plain data with
 * the error's kind (src/errors.ts's taxonomy, or a bug), stable code, node and fix.
 */
import { z } from 'zod';

export const zErrorKind = z.enum(['user', 'operational', 'cancelled']);
export type ErrorKind = z.infer<typeof zErrorKind>;

export const zSerializedError = z.object({
  kind: z.union([zErrorKind, z.literal('bug')]),
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  field: z.string().optional(),
  fix: z.string().optional(),
  stack: z.string().optional(),
});
export type SerializedError = z.infer<typeof zSerializedError>;
