/** The house Lambda for a workflow step: our defaults fixed once (Powertools' FunctionWithLogGroup idea). */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StepLambdaProps extends Omit<NodejsFunctionProps, 'entry'> {
  /** The folder under functions/ holding the step's handler.ts. */
  stepFolder: string;
  /** @default one month */
  logRetention?: RetentionDays;
}

export class StepLambda extends NodejsFunction {
  readonly logGroupOfFunction: LogGroup;

  constructor(scope: Construct, id: string, props: StepLambdaProps) {
    const { stepFolder, logRetention = RetentionDays.ONE_MONTH, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry: `${PROJECT_ROOT}functions/${stepFolder}/handler.ts`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      // Node 22 is the newest Lambda Node runtime this aws-cdk-lib offers; the code also runs on 20.
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      // Above the client's 30 s retry budget plus paging, so a step ends with a typed error, not a kill.
      timeout: Duration.seconds(90),
      tracing: Tracing.ACTIVE,
      logGroup,
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
    this.logGroupOfFunction = logGroup;
  }
}
