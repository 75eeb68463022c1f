/** The workflow: one Lambda per cookbook step and the state machine that runs them. */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EXECUTION_TIMEOUT_MINUTES } from '../functions/shared/limits.js';
import type { RunDefaults } from '../functions/shared/run-plan.js';
import type { ApiToken } from './api-token.js';
import { GenerationClaimsTable } from './generation-claims-table.js';
import { StepLambda } from './step-lambda.js';
import { buildWorkflowDefinition, type WorkflowFunctions } from './workflow-definition.js';

export interface WorkflowProps {
  alertTopic: ITopic;
  apiToken: ApiToken;
  /** Mangrove's API base URL. */
  apiBaseUrl: string;
  authScheme: 'bearer' | 'raw';
  /** What a run uses when its input does not say (ledgers, time zone, polling). */
  runDefaults: RunDefaults;
}

/** Steps that call Mangrove and so read the token; ResolveRun and DescribeFailure never do. */
const MANGROVE_STEPS = [
  'findLedger',
  'checkRequiredInputs',
  'previewGeneration',
  'startGeneration',
  'getGenerationStatus',
  'verifyBatches',
  'findGeneratedBatches',
] as const;

export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly claims: GenerationClaimsTable;
  readonly functions: { [K in keyof WorkflowFunctions]: StepLambda };

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const mangroveEnvironment = {
      MANGROVE_API_URL: props.apiBaseUrl,
      MANGROVE_AUTH_SCHEME: props.authScheme,
      MANGROVE_TOKEN_SECRET_ID: props.apiToken.secret.secretArn,
    };
    const lambda = (name: string, stepFolder: string, environment: Record<string, string> = mangroveEnvironment) =>
      new StepLambda(this, name, { stepFolder, environment, description: `Batch Autopilot step: ${stepFolder}` });

    this.functions = {
      resolveRun: lambda('ResolveRunFunction', 'resolve-run', { RUN_DEFAULTS: JSON.stringify(props.runDefaults) }),
      findLedger: lambda('FindLedgerFunction', 'find-ledger'),
      checkRequiredInputs: lambda('CheckRequiredInputsFunction', 'check-required-inputs'),
      previewGeneration: lambda('PreviewGenerationFunction', 'preview-generation'),
      startGeneration: lambda('StartGenerationFunction', 'start-generation'),
      getGenerationStatus: lambda('GetGenerationStatusFunction', 'get-generation-status'),
      verifyBatches: lambda('VerifyBatchesFunction', 'verify-batches'),
      findGeneratedBatches: lambda('FindGeneratedBatchesFunction', 'find-generated-batches'),
      describeFailure: lambda('DescribeFailureFunction', 'describe-failure', {}),
    };
    for (const name of MANGROVE_STEPS) props.apiToken.grantRead(this.functions[name]);

    this.claims = new GenerationClaimsTable(this, 'GenerationClaims');
    this.claims.grantClaiming(this.functions.startGeneration);
    this.functions.startGeneration.addEnvironment('GENERATION_CLAIMS_TABLE', this.claims.table.tableName);

    const definition = buildWorkflowDefinition(this, {
      functions: this.functions,
      alertTopic: props.alertTopic,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      // Ledgers run one after another; ResolveRun refuses a run whose waits could not fit in this.
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
    for (const fn of Object.values(this.functions)) {
      const logicalId = Stack.of(this).resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
      findings.acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'CDK grants lambda:InvokeFunction on the function and its qualified ARNs (versions/aliases) of this one function; the definition invokes the unqualified ARN.',
      });
    }
  }
}
