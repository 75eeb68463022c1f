/**
 * The deployment's configuration: cdk.json context `batchAutopilot`, validated once in bin/app.ts.
 * Every field is documented in the README ("Configuration").
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { isValidTimeZone } from '../functions/shared/calendar.js';
import { describeIssues } from '../functions/shared/zod-issues.js';
import { DEFAULT_API_BASE_URL } from '../functions/mangrove/client.js';
import type { RunDefaults } from '../functions/shared/run-plan.js';
import {
  DEFAULT_GENERATE_BY_DAY,
  DEFAULT_LOOKBACK_MONTHS,
  DEFAULT_MAX_POLL_INTERVAL_SECONDS,
  DEFAULT_POLL_INTERVAL_SECONDS,
  LOOKBACK_MONTHS,
  MAX_WAIT_MINUTES,
  POLL_INTERVAL_SECONDS,
} from '../functions/shared/limits.js';
import { MAX_ALERT_EMAILS, MAX_LEDGER_REF_CHARS, MAX_LEDGERS_PER_RUN, MAX_REPORT_NAME_CHARS } from '../functions/shared/limits.js';
import { runBudgetProblems } from '../functions/shared/run-budget.js';
import { API_URL_EXPECTATION, isAllowedApiUrl } from '../functions/mangrove/api-url.js';
import { quarterProblem, REPORT_ID, reportSelectorProblem } from '../functions/shared/reports.js';

export const DEFAULT_SECRET_NAME = 'batch-autopilot/mangrove-api-token';
/**
 * 06:00 on days 1–10: each fire reconciles the last months, so a month whose data lands late is
 * generated on the first fire after it does, and one missed while the stack was off is caught up.
 */
export const DEFAULT_SCHEDULE = 'cron(0 6 1-10 * ? *)';

// EventBridge Scheduler cron: six fields, one of day-of-month / day-of-week must be `?`.
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

export const configSchema = z
  .strictObject({
    ledgers: z
      .array(z.string().trim().min(1).max(MAX_LEDGER_REF_CHARS, `expected at most ${MAX_LEDGER_REF_CHARS} characters`))
      .min(1, 'expected at least one ledger id (lgr_…) or exact name')
      .max(MAX_LEDGERS_PER_RUN, `expected at most ${MAX_LEDGERS_PER_RUN} ledgers (one run's measured limit)`),
    schedule: z
      .string()
      .regex(CRON, 'expected an EventBridge Scheduler cron expression with six fields, e.g. "cron(0 6 1-10 * ? *)"')
      .default(DEFAULT_SCHEDULE),
    timeZone: z.string().refine(isValidTimeZone, 'expected an IANA time zone, e.g. "Europe/Berlin"').default('UTC'),
    alertEmails: z.array(z.email('expected an email address')).max(MAX_ALERT_EMAILS, `expected at most ${MAX_ALERT_EMAILS} addresses; subscribe a mailing list instead`).default([]),
    apiBaseUrl: z.string().refine(isAllowedApiUrl, API_URL_EXPECTATION).default(DEFAULT_API_BASE_URL),
    authScheme: z.enum(['bearer', 'raw']).default('bearer'),
    pollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max).default(DEFAULT_POLL_INTERVAL_SECONDS),
    maxPollIntervalSeconds: z.number().int().min(POLL_INTERVAL_SECONDS.min).max(POLL_INTERVAL_SECONDS.max).default(DEFAULT_MAX_POLL_INTERVAL_SECONDS),
    maxWaitMinutes: z.number().int().min(MAX_WAIT_MINUTES.min).max(MAX_WAIT_MINUTES.max).default(120),
    autoDiscoverDataPoints: z.boolean().default(false),
    notifyOnSuccess: z.boolean().default(false),
    lookbackMonths: z.number().int().min(LOOKBACK_MONTHS.min).max(LOOKBACK_MONTHS.max).default(DEFAULT_LOOKBACK_MONTHS),
    generateByDay: z.number().int().min(1, 'expected a day of the month from 1 to 28').max(28, 'expected a day of the month from 1 to 28').default(DEFAULT_GENERATE_BY_DAY),
    secretName: z.string().min(1).max(512).optional(),
    secretArn: z.string().regex(SECRET_ARN, 'expected a complete Secrets Manager secret ARN (ending in -XXXXXX)').optional(),
    /** The customer-managed key an imported secret is encrypted with: the steps that read the token need kms:Decrypt on it. */
    secretKmsKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-…').optional(),
    enabled: z.boolean().default(true),
    /**
     * Quarterly report submission to the registry, which cannot be undone: off unless `submit` is true.
     * The report per quarter is named by `namePattern` (e.g. "Q{q} {yyyy} Carbon Report") or by id in
     * `reportIds`; `ledgers` (default: the ledgers above) are the ones whose batches go into it.
     */
    reports: z
      .strictObject({
        submit: z.boolean().default(false),
        namePattern: z
          .string()
          .max(MAX_REPORT_NAME_CHARS)
          .superRefine((pattern, context) => {
            const problem = reportSelectorProblem(pattern, 'namePattern');
            if (problem !== null || REPORT_ID.test(pattern)) context.addIssue({ code: 'custom', message: (problem ?? 'expected a name pattern with {q} and {yyyy}; put report ids in reportIds').replace(/^namePattern: /, '') });
          })
          .optional(),
        reportIds: z
          .record(z.string(), z.string().regex(REPORT_ID, 'expected a report id like "rpt_abc123"'))
          .superRefine((ids, context) => {
            // zod says only "Invalid key in record": name the key and what a quarter looks like.
            for (const quarter of Object.keys(ids)) {
              const problem = quarterProblem(quarter);
              if (problem !== null) context.addIssue({ code: 'custom', path: [quarter], message: problem });
            }
          })
          .optional(),
        ledgers: z
          .array(z.string().trim().min(1).max(MAX_LEDGER_REF_CHARS, `expected at most ${MAX_LEDGER_REF_CHARS} characters`))
          .min(1, 'expected at least one ledger id (lgr_…) or exact name')
          .max(MAX_LEDGERS_PER_RUN)
          .optional(),
      })
      .refine((reports) => reports.namePattern !== undefined || reports.reportIds !== undefined, { message: 'expected namePattern or reportIds: which report takes each quarter' })
      .optional(),
  })
  .superRefine((config, context) => {
    if (config.secretName && config.secretArn) {
      context.addIssue({ code: 'custom', path: ['secretArn'], message: 'expected either secretName or secretArn, not both' });
    }
    if (config.secretKmsKeyArn && !config.secretArn) {
      context.addIssue({ code: 'custom', path: ['secretKmsKeyArn'], message: 'expected only with secretArn (the secret this stack creates uses the AWS-managed key)' });
    }
    // Each ledger's lookback months run in turn in one child execution's history.
    for (const problem of runBudgetProblems(config.lookbackMonths, config)) {
      const [field, ...message] = problem.split(': ');
      context.addIssue({ code: 'custom', path: [field ?? 'pollIntervalSeconds'], message: message.join(': ') });
    }
  });
export type BatchAutopilotConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`cdk.json context "batchAutopilot" is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** One message per wrong field, all at once. */
export function parseConfig(raw: unknown): BatchAutopilotConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(describeIssues(parsed.error.issues, '(config)'));
}

export function runDefaultsOf(config: BatchAutopilotConfig): RunDefaults {
  return {
    ledgers: config.ledgers,
    timeZone: config.timeZone,
    pollIntervalSeconds: config.pollIntervalSeconds,
    maxPollIntervalSeconds: config.maxPollIntervalSeconds,
    maxWaitMinutes: config.maxWaitMinutes,
    autoDiscoverDataPoints: config.autoDiscoverDataPoints,
    notifyOnSuccess: config.notifyOnSuccess,
    lookbackMonths: config.lookbackMonths,
    generateByDay: config.generateByDay,
    ...(config.reports ? { reports: config.reports } : {}),
  };
}

/** The project's cdk.json, beside lib/: what `cdk synth` reads, and what local runs synthesize from too. */
export const CDK_JSON_PATH = new URL('../cdk.json', import.meta.url);

/** The configuration `npm run synth` uses (cdk.json context), for a local run of the very same definition. */
export function readCdkJsonConfig(path: URL | string = CDK_JSON_PATH): BatchAutopilotConfig {
  const cdkJson = JSON.parse(readFileSync(path, 'utf8')) as { context?: Record<string, unknown> };
  return parseConfig(cdkJson.context?.batchAutopilot);
}
