/** Request bodies and queries are parsed with zod; a bad one is a 400 that lists every issue. */
import { describeZodIssue } from '../src/model/zod-issue.js';
import type { z } from 'zod';
import { ApiError } from './api-error.js';

export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: describeZodIssue(i) }));
  const summary = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
  throw new ApiError(400, 'FF_BAD_REQUEST', `invalid ${what}: ${summary}`, { issues });
}
