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

export function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
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
