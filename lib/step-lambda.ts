/** The house Lambda for a workflow step: our defaults fixed once (Powertools' FunctionWithLogGroup idea). */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StepLambdaProps extends Omit<NodejsFunctionProps, 'entry' | 'role' | 'logGroup'> {
  /** The folder under functions/ holding the step's handler.ts. */
  stepFolder: string;
  /** @default one month */
  logRetention?: RetentionDays;
}

export class StepLambda extends NodejsFunction {
  readonly functionLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: StepLambdaProps) {
    const { stepFolder, logRetention = RetentionDays.ONE_MONTH, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // Our own role instead of the managed AWSLambdaBasicExecutionRole: it may write to this log group only.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: `${PROJECT_ROOT}functions/${stepFolder}/handler.ts`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      // Node 22: the Lambda runtime the brief names and the newest Node our code and tests run on here.
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      // Above the client's 30 s retry budget plus paging, so a step ends with a typed error, not a kill.
      timeout: Duration.seconds(90),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // The Lambda runtime ships SDK v3; bundling it would add ~0.5 MB per function.
        externalModules: ['@aws-sdk/*'],
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      ...rest,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...rest.environment },
    });
    this.functionLogGroup = logGroup;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords take no resource-level permission, AWS requires "*".',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason: 'Pinned to Node.js 22, the runtime the code is tested on (Node 20 and 22); Node 24 comes after a test run on it.',
    });
  }
}

