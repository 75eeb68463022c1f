/**
 * The one kind of error that means "fix how you called it" (exit 2): a flag, argument, environment
 * variable or setting, what was wrong with it, and the value given. main.ts adds where to read more.
 */

export interface UsageProblem {
  /** `--month`, `<execution>`, `MANGROVE_API_TOKEN`, `cdk.json`… */
  subject: string;
  problem: string;
  got?: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly problems: readonly UsageProblem[];

  constructor(subject: string, problem: string, got?: string);
  constructor(problems: readonly UsageProblem[]);
  constructor(subjectOrProblems: string | readonly UsageProblem[], problem = '', got?: string) {
    const problems = typeof subjectOrProblems === 'string' ? [{ subject: subjectOrProblems, problem, got }] : subjectOrProblems;
    super(problems.map(describeProblem).join('; '));
    this.problems = problems;
  }
}

function describeProblem({ subject, problem, got }: UsageProblem): string {
  // Messages from the workflow often name the value already ("…, got 14"); saying it twice helps no one.
  const repeatsValue = got === undefined || / got /.test(` ${problem}`) || problem.startsWith(`${got} `);
  return `${subject}: ${problem}${repeatsValue ? '' : `, got ${quoted(got)}`}`;
}

/** Bare when it reads unambiguously, JSON-quoted when it has spaces; an empty value is "nothing". */
export function quoted(value: string): string {
  if (value === '') return 'nothing';
  return /\s|"/.test(value) ? JSON.stringify(value) : value;
}

/** AWS could not be used as set up (credentials, region, permissions, network): one line, exit 2, no usage hint. */
export class AwsSetupError extends Error {
  override readonly name = 'AwsSetupError';
}
