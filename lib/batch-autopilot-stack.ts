/** The stack reads like the architecture diagram: token, alerting, workflow, schedule, and who watches what (alarms, the dashboard). */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dashboardConsoleUrl, stateMachineConsoleUrl } from '../functions/shared/console-urls.js';
import { Alerting } from './alerting.js';
import { ApiToken } from './api-token.js';
import { Dashboard } from './dashboard.js';
import { DEFAULT_SECRET_NAME, runDefaultsOf, type BatchAutopilotConfig } from './config.js';
import { ReconcileSchedule } from './reconcile-schedule.js';
import { Workflow } from './workflow.js';

export interface BatchAutopilotStackProps extends StackProps {
  config: BatchAutopilotConfig;
}

export class BatchAutopilotStack extends Stack {
  readonly apiToken: ApiToken;
  readonly alerting: Alerting;
  readonly workflow: Workflow;
  readonly schedule: ReconcileSchedule;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: BatchAutopilotStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.apiToken = new ApiToken(this, 'ApiToken', {
      secretName: config.secretName ?? DEFAULT_SECRET_NAME,
      secretArn: config.secretArn,
      secretKmsKeyArn: config.secretKmsKeyArn,
    });
    this.alerting = new Alerting(this, 'Alerting', { emails: config.alertEmails });
    this.workflow = new Workflow(this, 'Workflow', {
      alertTopic: this.alerting.topic,
      apiToken: this.apiToken,
      apiBaseUrl: config.apiBaseUrl,
      authScheme: config.authScheme,
      runDefaults: runDefaultsOf(config),
    });
    this.schedule = new ReconcileSchedule(this, 'ReconcileSchedule', {
      stateMachine: this.workflow.stateMachine,
      cron: config.schedule,
      timeZone: config.timeZone,
      enabled: config.enabled,
      runDefaults: runDefaultsOf(config),
    });

    this.alerting.allowPublishing(this.workflow.stateMachine);
    this.alerting.alertOnExecutionFailures(this.workflow.stateMachine);
    this.alerting.alarmOnStateMachine(this.workflow.stateMachine);
    this.alerting.alarmOnDeadLetterQueue(this.schedule.deadLetterQueue);
    this.alerting.alarmOnStarterErrors(this.schedule.starter);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      stateMachine: this.workflow.stateMachine,
      functions: { ...this.workflow.functions, StartScheduledRun: this.schedule.starter },
      deadLetterQueue: this.schedule.deadLetterQueue,
    });

    const arn = this.workflow.stateMachine.stateMachineArn;
    new CfnOutput(this, 'StateMachineArn', { value: arn, description: 'Start executions here (CLI: --state-machine-arn)' });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerting.topic.topicArn, description: 'Subscribe to get failure alerts' });
    new CfnOutput(this, 'LedgerMonthsTableName', {
      value: this.workflow.ledgerMonths.table.tableName,
      description: 'The ledger-month records (CLI: status, resolve)',
    });
    new CfnOutput(this, 'ApiTokenSecretName', { value: this.apiToken.secret.secretName, description: 'Put the Mangrove API token here' });
    new CfnOutput(this, 'StateMachineConsoleUrl', {
      value: stateMachineConsoleUrl(this.region, arn),
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: dashboardConsoleUrl(this.region, this.dashboard.dashboard.dashboardName),
      description: 'Executions, months per ledger, amounts, step errors',
    });
  }
}
