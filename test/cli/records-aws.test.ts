/**
 * `status` and `resolve` against the deployed LedgerMonths table: DynamoDB and STS are the AWS
 * clients, mocked (aws-sdk-client-mock) with the items the records layer writes (toItem).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ResourceNotFoundException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsDeps } from '../../cli/aws.js';
import { resolveRecordsSource } from '../../cli/records-source.js';
import { toItem } from '../../functions/shared/ledger-month-item.js';
import type { LedgerMonthRecord } from '../../functions/shared/ledger-month-record.js';
import { ddb, dynamo, identity, OPERATOR, sts, TABLE } from './aws-records.js';
import { NET, NOW } from './records-setup.js';
import { runCli } from './support.js';

const regions: string[] = [];
const aws: AwsDeps = {
  sfnFor: () => {
    throw new Error('no Step Functions call here');
  },
  dynamoFor: (region) => {
    regions.push(region);
    return dynamo;
  },
  stsFor: () => sts,
  sleep: async () => {},
  now: () => NOW,
};
const record = (month: string, fields: Partial<LedgerMonthRecord>): LedgerMonthRecord => ({ ledgerId: NET, month, state: 'generated', updatedAt: '2026-11-02T06:00:00.000Z', ...fields });

beforeEach(() => {
  ddb.reset();
  identity.reset();
  regions.length = 0;
});

describe('status --table (the deployed records)', () => {
  it('reads each ledger-month with a consistent GetItem in the region given, and shows the grid', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb.on(GetItemCommand, { Key: { pk: { S: `${NET}#2026-10` } } }).resolves({ Item: toItem(record('2026-10', { batchIds: ['bat_oct'], total: { value: 58.25, unit: 't' } })) });
    ddb.on(GetItemCommand, { Key: { pk: { S: `${NET}#2026-09` } } }).resolves({ Item: toItem(record('2026-09', { state: 'outcome-unknown', taskId: 9 })) });
    const { code, stdout, stderr } = await runCli(['status', '--table', TABLE, '--ledger', NET, '--months', '3'], { env: { AWS_REGION: 'eu-west-1' }, aws });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(stdout.split('\n')[0]).toBe(`Ledger-month records in table ${TABLE} (eu-west-1); today 2026-11-23 (UTC), generate-by day 10`);
    expect(stdout).toMatch(/^2026-09\s+outcome unknown$/m);
    expect(stdout).toMatch(/^2026-10\s+generated: 1 batch\(es\), 58\.250 t$/m);
    expect(stdout).toMatch(/^2026-11\s+not due$/m);
    // The current month is not asked for: it cannot be due; nor the current quarter: it cannot have been submitted.
    expect(ddb.commandCalls(GetItemCommand).map((call) => call.args[0].input)).toEqual(
      [`${NET}#2026-09`, `${NET}#2026-10`, 'quarter#2026-Q3'].map((pk) => ({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true })),
    );
    expect(stdout).toMatch(/^Reports\n {2}2026-Q3 {2}not submitted\n {2}2026-Q4 {2}not due\n$/m);
  });

  it('$BATCH_AUTOPILOT_TABLE names the table; the region comes from the state machine ARN', async () => {
    ddb.on(GetItemCommand).resolves({});
    const env = { BATCH_AUTOPILOT_TABLE: TABLE, BATCH_AUTOPILOT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-2:123456789012:stateMachine:X', AWS_REGION: 'eu-west-1' };
    const { code, stdout } = await runCli(['status', '--ledger', NET, '--months', '2'], { env, aws });
    expect(code).toBe(0);
    expect(regions).toEqual(['us-east-2']);
    expect(stdout).toMatch(/^2026-10\s+—$/m);
  });

  it.each([
    ['no such table', new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }), `batch-autopilot: no table ${TABLE} in eu-west-1: check --table and the region (AWS_REGION), or deploy the stack ("npm run deploy")\n`],
    [
      'access denied',
      Object.assign(new Error(`User: arn:aws:iam::123456789012:user/ops is not authorized to perform: dynamodb:GetItem on resource: ${TABLE}`), { name: 'AccessDeniedException' }),
      `batch-autopilot: access denied for dynamodb:GetItem on ${TABLE}: use credentials whose policy allows it\n`,
    ],
    ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'batch-autopilot: no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run "aws sso login"\n'],
  ])('%s: one line that says what to fix, exit 2', async (_, error, line) => {
    ddb.on(GetItemCommand).rejects(error);
    const { code, stdout, stderr } = await runCli(['status', '--table', TABLE, '--ledger', NET], { env: { AWS_REGION: 'eu-west-1' }, aws });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(line);
  });
});

describe('which records', () => {
  const outputsIn = (outputs: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-autopilot-outputs-'));
    writeFileSync(join(dir, 'cdk-outputs.json'), JSON.stringify({ BatchAutopilot: outputs }));
    return join(dir, 'cdk-outputs.json');
  };
  const local = { baseUrl: 'https://app.gomangrove.com/api/v1', source: '--api-url', token: undefined, authScheme: 'bearer' as const };

  it('cdk-outputs.json: the table and the state machine’s region, as "npm run deploy" wrote them', () => {
    const file = outputsIn({ StateMachineArn: 'arn:aws:states:ap-southeast-2:123456789012:stateMachine:X', LedgerMonthsTableName: TABLE });
    try {
      expect(resolveRecordsSource({}, { AWS_REGION: 'eu-west-1' }, undefined, file)).toEqual({ kind: 'table', tableName: TABLE, region: 'ap-southeast-2' });
      // --state-dir means a local run's records, whatever is deployed.
      expect(resolveRecordsSource({ stateDir: 'x' }, {}, local, file)).toEqual({ kind: 'state-dir', dir: 'x', apiBaseUrl: local.baseUrl });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('nothing deployed: the default state directory; a table without any region is refused', () => {
    expect(resolveRecordsSource({}, {}, local, '/nonexistent/cdk-outputs.json')).toEqual({ kind: 'state-dir', dir: '.batch-autopilot', apiBaseUrl: local.baseUrl });
    expect(() => resolveRecordsSource({ table: TABLE }, {}, undefined, '/nonexistent/cdk-outputs.json')).toThrow(`--table: no AWS region for table ${TABLE}: set AWS_REGION`);
  });
});

describe('resolve --table (the deployed records)', () => {
  it('records the decision by the caller’s ARN with one conditional write, and prints before and after', async () => {
    identity.on(GetCallerIdentityCommand).resolves({ Arn: OPERATOR, Account: '123456789012' });
    const key = { Key: { pk: { S: `${NET}#2026-08` } } };
    ddb
      .on(GetItemCommand, key)
      .resolvesOnce({ Item: toItem(record('2026-08', { state: 'outcome-unknown', taskId: 5 })) })
      .resolvesOnce({ Item: toItem(record('2026-08', { state: 'overridden', decision: 'generated', by: OPERATOR, taskId: 5, updatedAt: '2026-11-23T10:00:00.000Z' })) });
    ddb.on(UpdateItemCommand).resolves({ Attributes: toItem(record('2026-08', { state: 'outcome-unknown', taskId: 5 })) });
    const { code, stdout, stderr } = await runCli(['resolve', 'generated', '--ledger', NET, '--month', '2026-08', '--table', TABLE], { env: { AWS_REGION: 'eu-west-1' }, aws });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [update] = ddb.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);
    expect(update).toMatchObject({ TableName: TABLE, Key: { pk: { S: `${NET}#2026-08` } } });
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':to': { S: 'overridden' }, ':decision': { S: '"generated"' }, ':by': { S: JSON.stringify(OPERATOR) } });
    expect(update?.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(stdout).toBe(
      [
        `lgr_netremoval01 2026-08, in table ${TABLE} (eu-west-1):`,
        '  was: outcome unknown, since 2026-11-02T06:00:00.000Z',
        `  now: overridden: generated, by ${OPERATOR}, at 2026-11-23T10:00:00.000Z`,
        '  Runs now skip this month.',
        '',
      ].join('\n'),
    );
  });

  it('who is calling cannot be told (no credentials): one line, exit 2, nothing written', async () => {
    identity.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { code, stderr } = await runCli(['resolve', 'not-generated', '--ledger', NET, '--month', '2026-08', '--table', TABLE], { env: { AWS_REGION: 'eu-west-1' }, aws });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^batch-autopilot: no AWS credentials found/);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    [['resolve', 'maybe', '--ledger', NET, '--month', '2026-08'], '<decision>: expected generated or not-generated, got maybe'],
    [['resolve', '--ledger', NET, '--month', '2026-08'], '<decision>: expected generated or not-generated, got nothing'],
    [['resolve', 'generated', '--month', '2026-08'], '--ledger: expected the ledger to decide for, lgr_… or its exact name, got nothing'],
    [['resolve', 'generated', '--ledger', NET], '--month: expected the month to decide for, as YYYY-MM, got nothing'],
    [['resolve', 'generated', '--ledger', NET, '--month', '2026-13'], '--month: expected a month as YYYY-MM, e.g. 2025-03, got 2026-13'],
    [['resolve', 'generated', '--ledger', NET, '--month', '2026-11'], '--month: expected a month that is over (this is 2026-11 in UTC), got 2026-11'],
    [['resolve', 'generated', '--ledger', NET, '--ledger', 'lgr_x', '--month', '2026-08'], '--ledger: given more than once (lgr_netremoval01 and lgr_x); give it once'],
    [['resolve', 'generated', '--ledger', 'Net Carbon Removal', '--month', '2026-08'], '--ledger: a ledger name needs MANGROVE_API_TOKEN to be looked up (give its id, lgr_…, instead), got "Net Carbon Removal"'],
    [['resolve', 'generated', '--ledger', NET, '--month', '2026-08', '--state-dir', 'x'], '--table: give --table (the deployed records) or --state-dir (a local run’s records), not both, got ' + TABLE],
  ])('%j: refused before any call, exit 2', async (args, line) => {
    const { code, stdout, stderr } = await runCli([...args, '--table', TABLE], { env: { AWS_REGION: 'eu-west-1' }, aws });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`batch-autopilot: ${line}; see batch-autopilot resolve --help\n`);
    expect(ddb.calls()).toHaveLength(0);
    expect(identity.calls()).toHaveLength(0);
  });
});
