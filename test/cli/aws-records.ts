/** The deployed LedgerMonths table and the caller's identity for `status` and `resolve`: aws-sdk-client-mock. */
import { DynamoDBClient, GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { toItem } from '../../functions/shared/ledger-month-item.js';
import type { LedgerMonthRecord } from '../../functions/shared/ledger-month-record.js';
import { submissionKey, type QuarterSubmission } from '../../functions/shared/quarter-submission-record.js';
import { BIOCHAR, NET } from './records-setup.js';

export const dynamo = new DynamoDBClient({ region: 'eu-west-1' });
export const sts = new STSClient({ region: 'eu-west-1' });
export const ddb = mockClient(dynamo);
export const identity = mockClient(sts);
/** A CloudFormation-made name, as cdk-outputs.json's LedgerMonthsTableName gives it. */
export const TABLE = 'BatchAutopilot-WorkflowLedgerMonthsTable1A2B3C4D-1XYZ2ABC3DEF';
export const OPERATOR = 'arn:aws:sts::123456789012:assumed-role/Ops/alice';

export const record = (ledgerId: string, month: string, fields: Partial<LedgerMonthRecord>): LedgerMonthRecord => ({
  ledgerId,
  month,
  state: 'generated',
  updatedAt: '2026-11-02T06:00:41.000Z',
  ...fields,
});

/** A quarter's submission item as QuarterSubmissions writes it: its label and state as they are, the other fields as JSON. */
export function quarterItem({ quarter, state, updatedAt, owner, ...fields }: QuarterSubmission): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = { pk: { S: submissionKey(quarter) }, quarterLabel: { S: quarter }, state: { S: state }, updatedAt: { S: updatedAt } };
  if (owner) item.owner = { S: owner };
  for (const [field, value] of Object.entries(fields)) item[field] = { S: JSON.stringify(value) };
  return item;
}

/** Answers GetItem from `records` and `quarters` (no item for any other key), as a consistent read of the table would. */
export function serveRecords(records: readonly LedgerMonthRecord[], quarters: readonly QuarterSubmission[] = []): void {
  ddb.on(GetItemCommand).resolves({});
  for (const entry of records) ddb.on(GetItemCommand, { Key: { pk: { S: `${entry.ledgerId}#${entry.month}` } } }).resolves({ Item: toItem(entry) });
  for (const entry of quarters) ddb.on(GetItemCommand, { Key: { pk: { S: submissionKey(entry.quarter) } } }).resolves({ Item: quarterItem(entry) });
}

/** What a deployment's records look like half a year in: most months generated, one in doubt, one late. */
export const DEPLOYED_RECORDS: LedgerMonthRecord[] = [
  ...['2026-06', '2026-07'].map((month, index) => record(NET, month, { batchIds: [`bat_net${index}`], total: { value: [58.904, 63.377][index] ?? 0, unit: 't' } })),
  ...['2026-06', '2026-07'].map((month, index) => record(BIOCHAR, month, { batchIds: [`bat_bio${index}`], total: { value: [21.5, 23.014][index] ?? 0, unit: 't' } })),
  record(NET, '2026-08', { state: 'outcome-unknown', taskId: 41, updatedAt: '2026-09-02T08:03:12.000Z' }),
  record(BIOCHAR, '2026-08', { state: 'outcome-unknown', taskId: 41, updatedAt: '2026-09-02T08:03:12.000Z' }),
  record(NET, '2026-09', { state: 'overridden', decision: 'generated', by: OPERATOR, updatedAt: '2026-10-06T09:15:00.000Z' }),
  record(BIOCHAR, '2026-09', { state: 'failed', error: 'Missing Transport Distance for Sep 2026', updatedAt: '2026-10-03T06:00:52.000Z' }),
  record(NET, '2026-10', { state: 'waiting-for-data', overdueAlertedAt: '2026-11-10T06:00:37.000Z', updatedAt: '2026-11-10T06:00:37.000Z' }),
  record(BIOCHAR, '2026-10', { state: 'waiting-for-data', updatedAt: '2026-11-10T06:00:37.000Z' }),
];

/** The second quarter's report, submitted by the schedule's run of 3 July; the third is not complete. */
export const DEPLOYED_QUARTERS: QuarterSubmission[] = [
  {
    quarter: '2026-Q2',
    state: 'submitted',
    reportId: 'rpt_q22026carbon',
    reportName: 'Q2 2026 Carbon Report',
    taskId: 7,
    submittedAt: '2026-07-03T06:01:12.000Z',
    evidence: 'task 7 complete',
    updatedAt: '2026-07-03T06:01:12.000Z',
  },
];

/** `resolve generated` of Net Carbon Removal's August, which was in doubt. */
export function serveResolve(): void {
  identity.on(GetCallerIdentityCommand).resolves({ Arn: OPERATOR, Account: '123456789012' });
  const before = DEPLOYED_RECORDS.find((entry) => entry.ledgerId === NET && entry.month === '2026-08') as LedgerMonthRecord;
  const after = { ...before, state: 'overridden' as const, decision: 'generated' as const, by: OPERATOR, updatedAt: '2026-11-23T10:00:00.000Z' };
  ddb.on(GetItemCommand, { Key: { pk: { S: `${NET}#2026-08` } } }).resolvesOnce({ Item: toItem(before) }).resolvesOnce({ Item: toItem(after) });
  ddb.on(UpdateItemCommand).resolves({ Attributes: toItem(before) });
}
