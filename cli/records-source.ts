/**
 * Where `status` and `resolve` find the ledger-month records: the deployed LedgerMonths table
 * (`--table`, `$BATCH_AUTOPILOT_TABLE`, or cdk-outputs.json), or a local run's state directory
 * (`--state-dir`, by default when nothing is deployed), the folder of the Mangrove URL at hand.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerMonthRecords } from '../functions/shared/ledger-month-record.js';
import { RecordStoreUnavailableError } from '../functions/shared/errors.js';
import { defaultAwsDeps, deployOutputs, OUTPUTS_FILE, regionOf, STATE_MACHINE_ARN_ENV, type AwsDeps } from './aws.js';
import { AwsSetupError, UsageError } from './errors.js';
import type { MangroveTarget } from './mangrove.js';
import { DEFAULT_STATE_DIR, knownUrls, openStateRecords, stateFolderName } from './state-dir.js';
import { startLocalRecordStore } from '../local/record-store/local-record-store.js';

export const TABLE_ENV = 'BATCH_AUTOPILOT_TABLE';

export type RecordsSource =
  | { kind: 'state-dir'; dir: string; apiBaseUrl: string }
  | { kind: 'table'; tableName: string; region: string };

export interface SourceFlags {
  stateDir?: string;
  table?: string;
}

/** Judged before any call: which records, and for a table which region. */
export function resolveRecordsSource(flags: SourceFlags, env: NodeJS.ProcessEnv, mangrove: MangroveTarget | undefined, outputsFile = OUTPUTS_FILE): RecordsSource {
  if (flags.stateDir !== undefined && flags.table !== undefined) {
    throw new UsageError('--table', 'give --table (the deployed records) or --state-dir (a local run’s records), not both', flags.table);
  }
  // The deployment's own file is read only when nothing else said where to look.
  const outputs = flags.stateDir === undefined ? deployOutputs(outputsFile) : undefined;
  const tableName = flags.table ?? (env[TABLE_ENV] || undefined) ?? outputs?.LedgerMonthsTableName;
  if (flags.stateDir === undefined && tableName) {
    const region = [outputs?.StateMachineArn ?? deployOutputs(outputsFile)?.StateMachineArn, env[STATE_MACHINE_ARN_ENV]].map((arn) => (arn ? regionOf(arn) : '')).find(Boolean) || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError(flags.table !== undefined ? '--table' : TABLE_ENV, `no AWS region for table ${tableName}: set AWS_REGION, or keep ${outputsFile} from "npm run deploy"`);
    return { kind: 'table', tableName, region };
  }
  const dir = flags.stateDir ?? DEFAULT_STATE_DIR;
  if (!mangrove) {
    const known = knownUrls(dir);
    const hint = known.length > 0 ? ` (${dir} has records for ${known.join(', ')})` : '';
    throw new UsageError(
      '--api-url',
      `which Mangrove's records? A local run keeps them per Mangrove URL: give --api-url or MANGROVE_API_URL${hint}, or --table for the deployed stack's (the embedded demo keeps none between runs)`,
    );
  }
  return { kind: 'state-dir', dir, apiBaseUrl: mangrove.baseUrl };
}

export interface OpenedRecords {
  records: LedgerMonthRecords;
  /** For people: the table and region, or the folder. */
  where: string;
  /** False when the local folder has never been written: nothing recorded yet. */
  exists: boolean;
  close(): Promise<void>;
}

export async function openRecords(source: RecordsSource, aws: AwsDeps, command: string, options: { create: boolean }): Promise<OpenedRecords> {
  if (source.kind === 'table') {
    const client = (aws.dynamoFor ?? defaultAwsDeps.dynamoFor)(source.region);
    return { records: new LedgerMonthRecords(client, source.tableName), where: `table ${source.tableName} (${source.region})`, exists: true, close: async () => client.destroy() };
  }
  const folder = join(source.dir, stateFolderName(source.apiBaseUrl));
  if (!options.create && !existsSync(folder)) {
    // Reading must not leave an empty folder behind; an empty store answers "no record" for every month.
    const store = await startLocalRecordStore();
    return { records: store.records, where: `${folder} (no run against ${source.apiBaseUrl} has kept records there yet)`, exists: false, close: () => store.close() };
  }
  const opened = await openStateRecords(source.dir, source.apiBaseUrl, { flag: '--state-dir', command, fallback: false });
  return { records: opened.records, where: opened.where, exists: true, close: opened.close };
}

/**
 * A records call that failed in AWS, as one line that says what to fix; other errors pass through.
 * The records layer wraps the SDK's error as `ledger-month records (<table>): <name>: <message>`.
 */
export function asAwsSetupError(error: unknown, source: RecordsSource, service = 'DynamoDB'): unknown {
  if (source.kind !== 'table') return error;
  const wrapped = error instanceof RecordStoreUnavailableError ? /^ledger-month records \([^)]*\): (\w+): (.*)$/s.exec(error.message) : null;
  const name = wrapped?.[1] ?? (error as { name?: string })?.name ?? '';
  const message = wrapped?.[2] ?? (error as { message?: string })?.message ?? '';
  const code = (error as { code?: string })?.code ?? /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET)\b/.exec(message)?.[1];
  const { tableName, region } = source;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new AwsSetupError('no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run "aws sso login"');
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].includes(name)) {
    return new AwsSetupError(`AWS rejected the credentials (${name}): refresh them (e.g. "aws sso login") and try again`);
  }
  if (name === 'ResourceNotFoundException') return new AwsSetupError(`no table ${tableName} in ${region}: check --table and the region (AWS_REGION), or deploy the stack ("npm run deploy")`);
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    const action = /perform: (\S+)/.exec(message)?.[1] ?? `the ${service} action`;
    return new AwsSetupError(`access denied for ${action} on ${service === 'DynamoDB' ? tableName : 'your identity'}: use credentials whose policy allows it`);
  }
  if (code && ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET'].includes(code)) {
    return new AwsSetupError(`cannot reach AWS ${service} in ${region} (${code}): check the network, a proxy, or the region`);
  }
  return error;
}
