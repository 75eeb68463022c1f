/** The stack reads like the architecture diagram: token, alerting, workflow. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RunDefaults } from '../functions/shared/run-plan.js';
import { Alerting } from './alerting.js';
import { ApiToken } from './api-token.js';
import { Workflow } from './workflow.js';

export interface BatchAutopilotConfig {
  apiBaseUrl: string;
  authScheme: 'bearer' | 'raw';
  secretName?: string;
  runDefaults: RunDefaults;
}

export class BatchAutopilotStack extends Stack {
  readonly workflow: Workflow;
  readonly alerting: Alerting;
  readonly apiToken: ApiToken;

  constructor(scope: Construct, id: string, config: BatchAutopilotConfig, props?: StackProps) {
    super(scope, id, props);
    this.apiToken = new ApiToken(this, 'ApiToken', { secretName: config.secretName });
    this.alerting = new Alerting(this, 'Alerting');
    this.workflow = new Workflow(this, 'Workflow', {
      alertTopic: this.alerting.topic,
      apiToken: this.apiToken.secret,
      apiBaseUrl: config.apiBaseUrl,
      authScheme: config.authScheme,
      runDefaults: config.runDefaults,
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerting.topic.topicArn });
  }
}
