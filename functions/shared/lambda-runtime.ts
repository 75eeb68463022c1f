/** The step runtime inside Lambda, read from the environment the Workflow construct sets. */
import * as z from 'zod/mini';
import { API_URL_EXPECTATION, isAllowedApiUrl } from '../mangrove/api-url.js';
import { DEFAULT_API_BASE_URL } from '../mangrove/client.js';
import { MisconfiguredFunctionError } from './errors.js';
import type { LedgerMonthRecords } from './ledger-month-record.js';
import { runDefaultsSchema, type RunDefaults } from './run-plan.js';
import type { StepRuntime } from './step.js';
import { SecretsManagerTokenSource, StaticTokenSource } from './token-source.js';
import { writeLogLine } from './log-line.js';
import { describeIssues } from './zod-issues.js';

const nonEmpty = z.string().check(z.minLength(1));

const environmentSchema = z.object({
  MANGROVE_API_URL: z._default(z.string().check(z.refine(isAllowedApiUrl, API_URL_EXPECTATION)), DEFAULT_API_BASE_URL),
  MANGROVE_AUTH_SCHEME: z._default(z.enum(['bearer', 'raw']), 'bearer'),
  MANGROVE_TOKEN_SECRET_ID: z.optional(nonEmpty),
  MANGROVE_API_TOKEN: z.optional(nonEmpty),
  RUN_DEFAULTS: z.optional(z.string()),
  LEDGER_MONTHS_TABLE: z.optional(nonEmpty),
});

export async function runtimeFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<StepRuntime> {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new MisconfiguredFunctionError(`Lambda environment is invalid: ${describeIssues(parsed.error.issues).join('; ')}`);
  }
  const config = parsed.data;
  // Only the steps given a table load the DynamoDB client: the others' cold starts skip it.
  const records = config.LEDGER_MONTHS_TABLE ? await openRecords(config.LEDGER_MONTHS_TABLE) : undefined;
  const tokens = config.MANGROVE_TOKEN_SECRET_ID
    ? new SecretsManagerTokenSource({ secretId: config.MANGROVE_TOKEN_SECRET_ID })
    : config.MANGROVE_API_TOKEN
      ? new StaticTokenSource(config.MANGROVE_API_TOKEN)
      : null;
  return {
    get tokens() {
      if (!tokens) throw new MisconfiguredFunctionError('MANGROVE_TOKEN_SECRET_ID (or MANGROVE_API_TOKEN) is not set for this function');
      return tokens;
    },
    client: { baseUrl: config.MANGROVE_API_URL, authScheme: config.MANGROVE_AUTH_SCHEME },
    defaults: (): RunDefaults => {
      if (!config.RUN_DEFAULTS) throw new MisconfiguredFunctionError('RUN_DEFAULTS is not set for this function');
      return runDefaultsSchema.parse(JSON.parse(config.RUN_DEFAULTS));
    },
    records: () => {
      if (!records) throw new MisconfiguredFunctionError('LEDGER_MONTHS_TABLE is not set for this function');
      return records;
    },
    log: writeLogLine,
  };
}

async function openRecords(tableName: string): Promise<LedgerMonthRecords> {
  const [{ DynamoDBClient }, { LedgerMonthRecords }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('./ledger-month-record.js')]);
  return new LedgerMonthRecords(new DynamoDBClient({}), tableName);
}
