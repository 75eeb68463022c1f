/**
 * Everything that tells people about a failure: the SNS topic (and its key), the email
 * subscriptions, the execution-status rule that catches what no Catch can, and CloudWatch alarms.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, type IRule, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { executionConsoleUrl } from '../functions/shared/console-urls.js';

export interface AlertingProps {
  /** Addresses subscribed to the topic (each confirms by email). @default none */
  emails: string[];
}

export class Alerting extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new Key(this, 'AlertTopicKey', {
      description: 'Encrypts the Batch Autopilot alert topic',
      enableKeyRotation: true,
    });
    // The AWS-managed SNS key cannot be used by EventBridge or CloudWatch: their deliveries would be dropped silently.
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      this.key.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    this.topic = new Topic(this, 'AlertTopic', { displayName: 'Batch Autopilot alerts', masterKey: this.key, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * sns:Publish (granted by the publishing task) is not enough on an encrypted topic: the publisher
   * also needs the key. Named actions, not topic.grantPublish's `kms:GenerateDataKey*`.
   */
  allowPublishing(publisher: IGrantable): void {
    this.key.grant(publisher, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /** Executions that ended FAILED, TIMED_OUT or ABORTED: including what no Catch sees (timeouts, aborts, history limit). */
  alertOnExecutionFailures(stateMachine: StateMachine): IRule {
    const rule = new Rule(this, 'ExecutionFailedRule', {
      description: 'Batch Autopilot executions that did not succeed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
    });
    const region = Stack.of(this).region;
    rule.addTarget(
      new SnsTopic(this.topic, {
        message: new PlainTextInput(
          [
            'Batch Autopilot execution <name> ended <status>.',
            '',
            'Error: <error>',
            'Cause: <cause>',
            `Execution: ${executionConsoleUrl(region, '<executionArn>')}`,
            '',
            'A failed run usually also sends its own, more detailed alert. A timed-out or aborted run sends only this one:',
            'check the ledger in Mangrove for the month before running it again (a run never generates a month that already has batches).',
          ].join('\n'),
          { name: '$.detail.name', status: '$.detail.status', error: '$.detail.error', cause: '$.detail.cause', executionArn: '$.detail.executionArn' },
        ),
      }),
    );
    return rule;
  }

  alarmOnStateMachine(stateMachine: StateMachine): void {
    const period = { period: Duration.minutes(5) };
    this.alarmOn('ExecutionsFailed', stateMachine.metricFailed(period), 'An execution failed');
    this.alarmOn('ExecutionsTimedOut', stateMachine.metricTimedOut(period), 'An execution timed out');
    this.alarmOn('ExecutionsAborted', stateMachine.metricAborted(period), 'An execution was aborted');
    this.alarmOn('ExecutionThrottled', stateMachine.metricThrottled(period), 'Step Functions throttled the workflow');
  }

  alarmOnDeadLetterQueue(queue: IQueue): void {
    this.alarmOn(
      'ScheduledStartsFailed',
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      'The monthly schedule could not start the workflow (messages in its dead-letter queue)',
    );
  }

  private alarmOn(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      alarmDescription: `Batch Autopilot: ${description}.`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

/**
 * An input-transformer template sent as plain text. RuleTargetInput.fromText JSON-encodes its text,
 * so an email would arrive wrapped in quotes with `\n` escapes.
 */
class PlainTextInput extends RuleTargetInput {
  constructor(
    private readonly template: string,
    private readonly paths: Record<string, string>,
  ) {
    super();
  }

  bind(_rule: IRule): RuleTargetInputProperties {
    return { inputTemplate: this.template, inputPathsMap: this.paths };
  }
}
