/** The one way zod issues become messages that name the field: `ledgers[0]: expected …`. */
import en from 'zod/v4/locales/en.js';
import * as z from 'zod/mini';

// functions/ use zod/mini: its functional API tree-shakes, where classic zod cost ~85 KB of every
// Lambda bundle. zod/mini loads no locale (classic does, on import), so without this every issue in
// a Lambda reads "Invalid input". Every step reaches its messages through this module: it is set
// before any parse.
z.config(en());

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
