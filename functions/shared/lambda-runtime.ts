/** The step runtime inside Lambda, read from the environment the Workflow construct sets. */
import * as z from 'zod';
import { API_URL_EXPECTATION, isAllowedApiUrl } from '../mangrove/api-url.js';
import { DEFAULT_API_BASE_URL } from '../mangrove/client.js';
import { MisconfiguredFunctionError } from './errors.js';
import type { LedgerMonthRecords } from './ledger-month-record.js';
import { runDefaultsSchema, type RunDefaults } from './run-plan.js';
import type { StepRuntime } from './step.js';
import { SecretsManagerTokenSource, StaticTokenSource } from './token-source.js';
import { describeIssues } from './zod-issues.js';

const environmentSchema = z.object({
  MANGROVE_API_URL: z.string().refine(isAllowedApiUrl, API_URL_EXPECTATION).default(DEFAULT_API_BASE_URL),
  MANGROVE_AUTH_SCHEME: z.enum(['bearer', 'raw']).default('bearer'),
  MANGROVE_TOKEN_SECRET_ID: z.string().min(1).optional(),
  MANGROVE_API_TOKEN: z.string().min(1).optional(),
  RUN_DEFAULTS: z.string().optional(),
  LEDGER_MONTHS_TABLE: z.string().min(1).optional(),
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
    log: (line) => console.log(line),
  };
}

async function openRecords(tableName: string): Promise<LedgerMonthRecords> {
  const [{ DynamoDBClient }, { LedgerMonthRecords }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('./ledger-month-record.js')]);
  return new LedgerMonthRecords(new DynamoDBClient({}), tableName);
}
