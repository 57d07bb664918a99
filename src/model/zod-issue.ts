/**
 * One zod issue in words a user reads ("is missing", "must be a number, not text") instead
 * of zod's own text ("Invalid input: expected number, received string"). Shared by the
 * document loader, validation, the server's request checks and the editor.
 */
import type { z } from 'zod';

const NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  null: 'null',
  undefined: 'nothing',
  bigint: 'a number',
  nan: 'NaN',
};
const name = (kind: string) => NAMES[kind] ?? kind;

/** A bound in words: texts are measured in characters, lists in items, the rest as numbers. */
function bound(origin: string | undefined, how: string, n: unknown): string {
  const count = Number(n);
  if (origin === 'string') return `must be ${how} ${count} character${count === 1 ? '' : 's'} long`;
  if (origin === 'array' || origin === 'set') return `must have ${how} ${count} item${count === 1 ? '' : 's'}`;
  return `must be ${how} ${String(n)}`;
}

export function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return bound(issue.origin, issue.exact ? 'exactly' : issue.inclusive === false ? 'less than' : 'at most', issue.maximum);
    case 'too_small':
      if (!issue.exact && Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array')) return 'must not be empty';
      return bound(issue.origin, issue.exact ? 'exactly' : issue.inclusive === false ? 'more than' : 'at least', issue.minimum);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === 'undefined') return 'is missing';
      return `must be ${name(issue.expected)}${received ? `, not ${name(received)}` : ''}`;
    }
    case 'unrecognized_keys':
      return `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message.replace(/^Invalid input: /, '').replace(/^Invalid input$/, 'is not valid');
  }
}
