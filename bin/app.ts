/** The CDK app: validate the configuration (cdk.json context "batchAutopilot"), build the stack, check it with cdk-nag. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BatchAutopilotStack } from '../lib/batch-autopilot-stack.js';
import { ConfigError, parseConfig } from '../lib/config.js';

const app = new App();
try {
  const config = parseConfig(app.node.tryGetContext('batchAutopilot'));
  new BatchAutopilotStack(app, 'BatchAutopilot', {
    config,
    description: 'Batch Autopilot: monthly Mangrove batch generation',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
