/** The workflow: one Lambda per cookbook step and the state machine that runs them. */
import { CfnResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EXECUTION_TIMEOUT_MINUTES } from '../functions/shared/limits.js';
import type { RunDefaults } from '../functions/shared/run-plan.js';
import { STEPS, stepFolder, type StepName } from '../functions/steps.js';
import type { ApiToken } from './api-token.js';
import { LedgerMonthsTable } from './ledger-months-table.js';
import { StepLambda } from './step-lambda.js';
import { buildWorkflowDefinition, type WorkflowFunctions } from './workflow-definition/index.js';

export interface WorkflowProps {
  alertTopic: ITopic;
  apiToken: ApiToken;
  /** Mangrove's API base URL. */
  apiBaseUrl: string;
  authScheme: 'bearer' | 'raw';
  /** What a run uses when its input does not say (ledgers, time zone, polling). */
  runDefaults: RunDefaults;
}

export const STATE_MACHINE_COMMENT =
  'Batch Autopilot: generates Mangrove batches month by month. Input {} (or the console\'s {"Comment": …}) runs the previous month for the configured ledgers; {"month": "YYYY-MM", "ledgers": […], "dryRun": true, …} is documented in the README, "Execution input", and in events/.';

export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly ledgerMonths: LedgerMonthsTable;
  readonly functions: Record<StepName, StepLambda>;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const mangroveEnvironment = {
      MANGROVE_API_URL: props.apiBaseUrl,
      MANGROVE_AUTH_SCHEME: props.authScheme,
      MANGROVE_TOKEN_SECRET_ID: props.apiToken.secret.secretArn,
    };
    // Only the steps that call Mangrove get its URL and the token; the others never see either.
    const environmentOf = (name: StepName, readsToken: boolean): Record<string, string> => ({
      ...(readsToken ? mangroveEnvironment : {}),
      ...(name === 'ResolveRun' ? { RUN_DEFAULTS: JSON.stringify(props.runDefaults) } : {}),
    });
    const functions: Partial<Record<StepName, StepLambda>> = {};
    for (const { definition, readsToken } of STEPS) {
      const folder = stepFolder(definition.name);
      const fn = new StepLambda(this, `${definition.name}Function`, {
        stepFolder: folder,
        environment: environmentOf(definition.name, readsToken),
        description: `Batch Autopilot step: ${folder}`,
      });
      if (readsToken) props.apiToken.grantRead(fn);
      functions[definition.name] = fn;
    }
    this.functions = functions as Record<StepName, StepLambda>;

    this.ledgerMonths = new LedgerMonthsTable(this, 'LedgerMonths');
    for (const { definition, keepsRecords } of STEPS) {
      if (!keepsRecords) continue;
      this.ledgerMonths.grantRecordKeeping(this.functions[definition.name]);
      this.functions[definition.name].addEnvironment('LEDGER_MONTHS_TABLE', this.ledgerMonths.table.tableName);
    }

    const definition = buildWorkflowDefinition(this, {
      functions: this.functions,
      alertTopic: props.alertTopic,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      // Shown above the console's "Start execution" box, which pre-fills an input of its own.
      comment: STATE_MACHINE_COMMENT,
      // Bounds the whole run, groups side by side; ResolveRun and GroupLedgers keep each group's months within it.
      timeout: Duration.minutes(EXECUTION_TIMEOUT_MINUTES),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogs', {
          logGroupName: `/aws/vendedlogs/states/batch-autopilot-${this.node.addr.slice(0, 8)}`,
          retention: RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    this.acknowledgeStateMachinePolicy();
  }

  /** The state machine role's wildcards, each for a reason AWS or CDK imposes. */
  private acknowledgeStateMachinePolicy(): void {
    const findings = Validations.of(this.stateMachine);
    findings.acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules/Targets) and CloudWatch Logs delivery (logs:*LogDelivery*, DescribeResourcePolicies, DescribeLogGroups) take no resource-level permission.',
    });
    // The Distributed Map's child executions are named by Step Functions at run time.
    const stack = Stack.of(this);
    // cdk-nag writes an environment-agnostic stack's region and account as the pseudo parameters.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const machineId = stack.resolve((this.stateMachine.node.defaultChild as CfnResource).logicalId) as string;
    const executions = `arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    for (const resource of [`${executions}:*`, `${executions}/Group:*`]) {
      findings.acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
        reason: "ForEachGroup's child executions (one per group of co-written ledgers) get names only at run time; CDK scopes the grant to this state machine's own executions and map runs.",
      });
    }
    for (const fn of Object.values(this.functions)) {
      const logicalId = Stack.of(this).resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
      findings.acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'CDK grants lambda:InvokeFunction on the function and its qualified ARNs (versions/aliases) of this one function; the definition invokes the unqualified ARN.',
      });
    }
  }
}
