import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import validateAsl from 'asl-validator';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchAutopilotStack } from '../../lib/batch-autopilot-stack.js';
import { ConfigError, parseConfig, readCdkJsonConfig, type BatchAutopilotConfig } from '../../lib/config.js';
import { extractDefinition, localDefinition } from '../../local/runner/definition.js';
import { STEPS } from '../../functions/steps.js';

const CONFIG = parseConfig({
  ledgers: ['Net Carbon Removal', 'lgr_second'],
  schedule: 'cron(30 5 3 * ? *)',
  timeZone: 'Europe/Berlin',
  alertEmails: ['ops@example.com', 'carbon@example.com'],
  maxWaitMinutes: 90,
});
const ALL_STEPS: string[] = STEPS.map((entry) => entry.definition.name);
const MANGROVE_STEPS: string[] = STEPS.filter((entry) => entry.readsToken).map((entry) => entry.definition.name);

/** Actions AWS offers no resource-level permission for; `Resource: "*"` is allowed for them alone. */
const STAR_RESOURCE_ACTIONS = new Set([
  // X-Ray tracing (Lambda and Step Functions).
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Step Functions logging to CloudWatch Logs goes through log delivery, which is account-wide.
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

function synthesize(config: BatchAutopilotConfig): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BatchAutopilotStack(app, 'BatchAutopilot', { config, env: { account: '123456789012', region: 'eu-west-1' } });
  return Template.fromStack(stack);
}

let template: Template;
beforeAll(() => {
  template = synthesize(CONFIG);
});

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const resources = (type: string): Resources => template.findResources(type) as Resources;
const functionIdOf = (step: string): string => {
  const id = Object.keys(resources('AWS::Lambda::Function')).find((logicalId) => logicalId.startsWith(`Workflow${step}Function`));
  if (!id) throw new Error(`no function for ${step}`);
  return id;
};
const roleIdOf = (step: string): string => {
  const role = resources('AWS::Lambda::Function')[functionIdOf(step)]?.Properties.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
};
const statementsOfRole = (roleId: string): Array<Record<string, any>> =>
  Object.values(resources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);

describe('resources', () => {
  it('has the schedule, secret, state machine, step functions, topic, rule, alarms and DLQ', () => {
    // The steps plus the schedule's starter.
    template.resourceCountIs('AWS::Lambda::Function', ALL_STEPS.length + 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
  });

  it('builds every step function with the house defaults', () => {
    for (const step of ALL_STEPS) {
      const fn = resources('AWS::Lambda::Function')[functionIdOf(step)]?.Properties;
      expect(fn, step).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: 90,
        MemorySize: 256,
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
    }
    for (const group of Object.values(resources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('tells each step where Mangrove and its token are; ResolveRun gets the run defaults', () => {
    for (const step of MANGROVE_STEPS) {
      expect(resources('AWS::Lambda::Function')[functionIdOf(step)]?.Properties.Environment.Variables, step).toMatchObject({
        MANGROVE_API_URL: 'https://app.gomangrove.com/api/v1',
        MANGROVE_AUTH_SCHEME: 'bearer',
        MANGROVE_TOKEN_SECRET_ID: { Ref: expect.stringMatching(/^ApiTokenSecret/) },
      });
    }
    const resolveRun = resources('AWS::Lambda::Function')[functionIdOf('ResolveRun')]?.Properties.Environment.Variables;
    expect(JSON.parse(resolveRun.RUN_DEFAULTS)).toEqual({
      ledgers: ['Net Carbon Removal', 'lgr_second'],
      timeZone: 'Europe/Berlin',
      pollIntervalSeconds: 5,
      maxPollIntervalSeconds: 60,
      maxWaitMinutes: 90,
      autoDiscoverDataPoints: false,
      notifyOnSuccess: false,
      lookbackMonths: 3,
      generateByDay: 10,
    });
    expect(resolveRun).not.toHaveProperty('MANGROVE_TOKEN_SECRET_ID');
  });

  it('runs a STANDARD state machine with full logging under /aws/vendedlogs/states/, tracing and a timeout above the wait', () => {
    const [machine] = Object.values(resources('AWS::StepFunctions::StateMachine'));
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') });
    const definition = extractDefinition(template.toJSON());
    expect(definition.TimeoutSeconds).toBeGreaterThan(CONFIG.maxWaitMinutes * 60);
  });
});

describe('schedule', () => {
  it('fires the configured cron in the configured time zone, invoking the starter with the scheduled time', () => {
    const [schedule] = Object.values(resources('AWS::Scheduler::Schedule'));
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(30 5 3 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ReconcileScheduleStarterFunction/), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/FailedStarts/), 'Arn'] } },
      },
    });
    expect(JSON.parse(schedule?.Properties.Target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  it('gives the starter the state machine, the run defaults and a dead-letter queue for failed async invokes', () => {
    const starter = Object.entries(resources('AWS::Lambda::Function')).find(([id]) => id.startsWith('ReconcileScheduleStarterFunction'))?.[1];
    expect(starter?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/FailedStarts/), 'Arn'] } },
      Environment: { Variables: { STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^WorkflowStateMachine/) } } },
    });
    expect(JSON.parse(starter?.Properties.Environment.Variables.RUN_DEFAULTS).ledgers).toEqual(CONFIG.ledgers);
    const roleId = (starter?.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const start = statementsOfRole(roleId).find((statement) => statement.Action === 'states:StartExecution');
    expect(start?.Resource).toEqual({ Ref: expect.stringMatching(/^WorkflowStateMachine/) });
  });

  it('may be switched off by config', () => {
    const off = synthesize(parseConfig({ ledgers: ['x'], enabled: false }));
    off.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED', ScheduleExpression: 'cron(0 6 1-10 * ? *)', ScheduleExpressionTimezone: 'UTC' });
  });

  it('uses a role that may only invoke the starter and reach the dead-letter queue', () => {
    const [schedule] = Object.values(resources('AWS::Scheduler::Schedule'));
    const roleId = (schedule?.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOfRole(roleId);
    expect(statements.map((statement) => statement.Action).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
    for (const resource of [invoke?.Resource].flat()) expect(JSON.stringify(resource)).toContain('ReconcileScheduleStarterFunction');
  });
});

describe('alerting', () => {
  it('encrypts the topic with its own rotating key (who may use it: alert-delivery.test.ts)', () => {
    const [topic] = Object.values(resources('AWS::SNS::Topic'));
    const [keyId] = Object.keys(resources('AWS::KMS::Key'));
    expect(topic?.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(resources('AWS::KMS::Key')[keyId as string]?.Properties.EnableKeyRotation).toBe(true);
  });

  it('subscribes the configured emails', () => {
    for (const email of CONFIG.alertEmails) template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
  });

  it('routes this state machine\'s runs that could not alert themselves to the topic as plain text (which ones: one-message-per-incident.test.ts)', () => {
    const [rule] = Object.values(resources('AWS::Events::Rule'));
    expect(rule?.Properties.EventPattern).toMatchObject({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [{ Ref: expect.stringMatching(/^WorkflowStateMachine/) }] },
    });
    const [target] = rule?.Properties.Targets;
    const transformer = target.InputTransformer;
    expect(transformer.InputPathsMap).toMatchObject({ name: '$.detail.name', status: '$.detail.status', cause: '$.detail.cause' });
    const text = JSON.stringify(transformer.InputTemplate);
    expect(text).toContain('Batch Autopilot execution <name> ended <status>.');
    // Not a JSON string literal: fromText would have wrapped it in quotes.
    expect(typeof transformer.InputTemplate === 'string' ? transformer.InputTemplate.startsWith('"') : false).toBe(false);
  });

  it('alarms only on what no execution reports (throttling, failed scheduled starts, the starter failing), and says when it clears', () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual(['ApproximateNumberOfMessagesVisible', 'Errors', 'ExecutionThrottled'].sort());
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlertTopic/) }]);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
      expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      // Plain text that says what to do, not only what happened.
      expect(alarm.AlarmDescription).toMatch(/^Batch Autopilot: .+\. .+/);
    }
  });

  it('publishes from the state machine only to its topic', () => {
    const machine = Object.values(resources('AWS::StepFunctions::StateMachine'))[0];
    const roleId = (machine?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOfRole(roleId);
    const publish = statements.find((statement) => statement.Action === 'sns:Publish');
    expect(publish?.Resource).toEqual({ Ref: expect.stringMatching(/AlertTopic/) });
    // The topic is encrypted: without the key, every publish would be denied.
    const key = statements.find((statement) => JSON.stringify(statement.Action).includes('kms:GenerateDataKey'));
    expect(key?.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
    expect(key?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/AlertTopicKey/), 'Arn'] });
  });
});

describe('least privilege', () => {
  it('lets only the Mangrove steps read the token, with GetSecretValue on that secret alone', () => {
    for (const step of ALL_STEPS) {
      const secretStatements = statementsOfRole(roleIdOf(step)).filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager'));
      if (MANGROVE_STEPS.includes(step)) {
        expect(secretStatements, step).toEqual([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^ApiTokenSecret/) } },
        ]);
      } else {
        expect(secretStatements, step).toEqual([]);
      }
    }
  });

  it('keeps the ledger-month records in one retained, backed-up table without TTL, used only by the record-keeping steps', () => {
    const tables = Object.entries(resources('AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(1);
    const [tableId, table] = tables[0] as [string, Record<string, any>];
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const keepers: string[] = STEPS.filter((entry) => entry.keepsRecords).map((entry) => entry.definition.name);
    expect(keepers).toEqual([
      'ReadLedgerMonths',
      'PreviewGeneration',
      'StartGeneration',
      'GetGenerationStatus',
      'VerifyBatches',
      'FindGeneratedBatches',
      'PrepareSubmission',
      'SubmitReport',
      'GetSubmissionStatus',
    ]);
    for (const step of ALL_STEPS) {
      const tableStatements = statementsOfRole(roleIdOf(step)).filter((statement) => JSON.stringify(statement.Action).includes('dynamodb'));
      const environment = resources('AWS::Lambda::Function')[functionIdOf(step)]?.Properties.Environment.Variables;
      if (keepers.includes(step)) {
        expect(tableStatements.flatMap((statement) => [statement.Action].flat()).sort(), step).toEqual([
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]);
        expect(JSON.stringify(tableStatements), step).toContain(tableId);
        expect(environment.LEDGER_MONTHS_TABLE, step).toEqual({ Ref: tableId });
      } else {
        expect(tableStatements, step).toEqual([]);
        expect(environment?.LEDGER_MONTHS_TABLE, step).toBeUndefined();
      }
    }
  });

  it('never grants a wildcard action, and "*" resources only where AWS requires them', () => {
    const statements = Object.values(resources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      const actions: string[] = [statement.Action].flat();
      for (const action of actions) expect(action, JSON.stringify(statement)).not.toMatch(/\*$|^\*$/);
      const resourceList = [statement.Resource].flat();
      if (resourceList.includes('*')) {
        for (const action of actions) expect(STAR_RESOURCE_ACTIONS.has(action), `${action} on "*"`).toBe(true);
      }
    }
  });

  it('uses no AWS managed policies', () => {
    for (const role of Object.values(resources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('creates the secret with a placeholder (not a random value) and keeps it when the stack goes', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { SecretString: 'PUT-THE-MANGROVE-API-TOKEN-HERE', Name: 'batch-autopilot/mangrove-api-token' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('imports an existing secret by ARN instead of creating one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mangrove/token-AbC123';
    const imported = synthesize(parseConfig({ ledgers: ['x'], secretArn: arn }));
    imported.resourceCountIs('AWS::SecretsManager::Secret', 0);
    imported.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: arn }]) },
    });
    // Without a key of its own, nobody is given kms:Decrypt.
    expect(JSON.stringify(imported.findResources('AWS::IAM::Policy'))).not.toContain('kms:ViaService');
  });

  it('lets exactly the token-reading steps decrypt an imported secret’s customer-managed key, through Secrets Manager only', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mangrove/token-AbC123';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const imported = synthesize(parseConfig({ ledgers: ['x'], secretArn: arn, secretKmsKeyArn: key }));
    const policies = Object.values(imported.findResources('AWS::IAM::Policy')) as Array<{ Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Array<Record<string, unknown>> } } }>;
    const decrypting = policies.filter((policy) => policy.Properties.PolicyDocument.Statement.some((statement) => statement.Action === 'kms:Decrypt' && statement.Resource === key));
    expect(decrypting).toHaveLength(MANGROVE_STEPS.length);
    for (const policy of decrypting) {
      const statement = policy.Properties.PolicyDocument.Statement.find((candidate) => candidate.Resource === key);
      expect(statement?.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } });
    }
  });

  it('refuses a secret key without an imported secret, naming the field', () => {
    expect(() => parseConfig({ ledgers: ['x'], secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc' })).toThrow(/secretKmsKeyArn: expected only with secretArn/);
    expect(() => parseConfig({ ledgers: ['x'], secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbC123', secretKmsKeyArn: 'alias/mine' })).toThrow(/secretKmsKeyArn: expected a KMS key ARN/);
  });
});

describe('checks', () => {
  it('passes cdk-nag AwsSolutionsChecks with every finding acknowledged for a reason', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new BatchAutopilotStack(app, 'BatchAutopilot', { config: CONFIG, env: { account: '123456789012', region: 'eu-west-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('synthesizes a definition asl-validator accepts', () => {
    const definition = extractDefinition(template.toJSON());
    // asl-validator mutates its argument.
    const result = validateAsl(structuredClone(definition));
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('deploys byte for byte the definition the local runner executes', () => {
    const deployed = extractDefinition(synthesize(readCdkJsonConfig()).toJSON());
    expect(JSON.stringify(localDefinition())).toBe(JSON.stringify(deployed));
  });

  it('exports the state machine ARN, topic ARN, secret name and the console URLs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs.sort()).toEqual(['AlertTopicArn', 'ApiTokenSecretName', 'DashboardUrl', 'LedgerMonthsTableName', 'StateMachineArn', 'StateMachineConsoleUrl']);
  });
});

describe('configuration', () => {
  it('fills documented defaults', () => {
    expect(parseConfig({ ledgers: ['lgr_a'] })).toEqual({
      ledgers: ['lgr_a'],
      schedule: 'cron(0 6 1-10 * ? *)',
      timeZone: 'UTC',
      alertEmails: [],
      apiBaseUrl: 'https://app.gomangrove.com/api/v1',
      authScheme: 'bearer',
      pollIntervalSeconds: 5,
      maxPollIntervalSeconds: 60,
      maxWaitMinutes: 120,
      autoDiscoverDataPoints: false,
      notifyOnSuccess: false,
      lookbackMonths: 3,
      generateByDay: 10,
      enabled: true,
    });
  });

  it('rejects bad values with one message per wrong field', () => {
    const error = (() => {
      try {
        parseConfig({
          ledgers: [],
          schedule: '0 6 2 * *',
          timeZone: 'Berlin',
          alertEmails: ['not-an-email'],
          apiBaseUrl: 'ftp://x',
          authScheme: 'basic',
          pollIntervalSeconds: 0,
          enabled: 'yes',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
          ledger: 'typo',
        });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const field of ['ledgers', 'schedule', 'timeZone', 'alertEmails[0]', 'apiBaseUrl', 'authScheme', 'pollIntervalSeconds', 'enabled', 'secretArn', 'ledger']) {
      expect(problems.filter((problem) => problem.startsWith(`${field}:`)), field).toHaveLength(1);
    }
    expect(problems).toHaveLength(10);
  });

  it('keeps report submission off unless asked, and judges the reports it names', () => {
    expect(parseConfig({ ledgers: ['x'], reports: { namePattern: 'Q{q} {yyyy} Carbon Report' } }).reports).toEqual({ submit: false, namePattern: 'Q{q} {yyyy} Carbon Report' });
    expect(() => parseConfig({ ledgers: ['x'], reports: { submit: true } })).toThrow(/reports: expected namePattern or reportIds/);
    expect(() => parseConfig({ ledgers: ['x'], reports: { namePattern: 'Q1 2025 Carbon Report' } })).toThrow(/reports\.namePattern: "Q1 2025 Carbon Report" lacks \{q\} and \{yyyy\}/);
    expect(() => parseConfig({ ledgers: ['x'], reports: { reportIds: { '2025-Q5': 'rpt_a' } } })).toThrow(/reports\.reportIds\.2025-Q5.*expected a quarter in the form YYYY-Qn/);
    expect(() => parseConfig({ ledgers: ['x'], reports: { reportIds: { '2025-Q1': 'Q1 report' } } })).toThrow(/reports\.reportIds\.2025-Q1: expected a report id like "rpt_abc123"/);
  });

  it('bounds every list it deploys: ledgers, their names and the alert emails', () => {
    expect(() => parseConfig({ ledgers: Array.from({ length: 501 }, (_, index) => `l${index}`) })).toThrow(/ledgers: expected at most 500 ledgers/);
    expect(() => parseConfig({ ledgers: ['x'.repeat(65)] })).toThrow(/ledgers\[0\]: expected at most 64 characters/);
    expect(() => parseConfig({ ledgers: ['x'], alertEmails: Array.from({ length: 11 }, (_, index) => `ops${index}@example.com`) })).toThrow(
      /alertEmails: expected at most 10 addresses/,
    );
  });

  it('refuses a secret given both by name and by ARN', () => {
    expect(() => parseConfig({ ledgers: ['x'], secretName: 'a', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbC123' })).toThrow(
      /secretArn: expected either secretName or secretArn, not both/,
    );
  });
});
