/** The one way zod issues become messages that name the field: `ledgers[0]: expected …`. */
import type * as z from 'zod';

/** A field path as people write it: `data[0].latest_model`, `batchAmounts[1].batchId`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

/** One line per problem; an unknown key is named as `where.key: unknown field`. */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root = '(input)'): string[] {
  return issues.flatMap((issue) => {
    const where = formatFieldPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const prefix = where ? `${where}.` : '';
      return issue.keys.map((key) => `${prefix}${key}: unknown field`);
    }
    return [`${where || root}: ${issue.message}`];
  });
}
