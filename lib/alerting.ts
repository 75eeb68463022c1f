/**
 * Everything that tells people about a failure: the SNS topic (and its key), the email
 * subscriptions, the execution-status rule that catches what no Catch can, and CloudWatch alarms.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, type IRule, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { executionConsoleUrl } from '../functions/shared/console-urls.js';
import { UNALERTED_RUN_ERRORS } from '../functions/shared/error-names.js';

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
    this.topic = new Topic(this, 'AlertTopic', { displayName: 'Batch Autopilot alerts', masterKey: this.key, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    this.allowAlarmsToPublish();
  }

  /**
   * A topic policy replaces SNS's default one, so CloudWatch may publish only if a statement says so;
   * the AWS-managed SNS key would drop its deliveries silently, so ours lets it encrypt. Both only for
   * this stack's alarms in this account (confused-deputy conditions).
   */
  private allowAlarmsToPublish(): void {
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    // By name prefix, not the alarms' ARNs: the key would depend on the alarms, which depend on the topic, which depends on the key.
    const alarmArns = Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${this.alarmNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const conditions = { ArnLike: { 'aws:SourceArn': alarmArns }, StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    this.topic.addToResourcePolicy(
      new PolicyStatement({ sid: 'AllowThisStacksAlarms', principals: [cloudWatch], actions: ['sns:Publish'], resources: [this.topic.topicArn], conditions }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({ sid: 'AllowThisStacksAlarmsToEncrypt', principals: [cloudWatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'], conditions }),
    );
  }

  /**
   * sns:Publish (granted by the publishing task) is not enough on an encrypted topic: the publisher
   * also needs the key. Named actions, not topic.grantPublish's `kms:GenerateDataKey*`.
   */
  allowPublishing(publisher: IGrantable): void {
    this.key.grant(publisher, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /**
   * The ends a run cannot report itself: timed out, aborted, or failed without its own alert (Step
   * Functions' `States.*` errors, which no Catch sees, and UNALERTED_RUN_ERRORS). A run that sent its
   * alert matches nothing here: one incident, one message.
   */
  alertOnExecutionFailures(stateMachine: StateMachine): IRule {
    const stack = Stack.of(this);
    // EventBridge rule names stop at 64 characters.
    const ruleName = `${stack.stackName.slice(0, 40)}-execution-not-succeeded`;
    // Named, so the role's trust can name the rule without depending on it (the rule depends on the role).
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName });
    const publisher = new Role(this, 'ExecutionFailedRulePublisher', {
      description: 'EventBridge publishes the execution-status alert with this role, for this rule only',
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: { ArnEquals: { 'aws:SourceArn': ruleArn }, StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    publisher.addToPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    this.allowPublishing(publisher);
    const rule = new Rule(this, 'ExecutionFailedRule', {
      ruleName,
      description: 'Batch Autopilot executions that did not succeed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [stateMachine.stateMachineArn],
          $or: [{ status: ['TIMED_OUT', 'ABORTED'] }, { status: ['FAILED'], error: [{ prefix: 'States.' }, ...UNALERTED_RUN_ERRORS] }],
        },
      },
    });
    const region = stack.region;
    rule.addTarget(
      new SnsTopic(this.topic, {
        // A role of its own rather than a service principal on the topic and key: EventBridge can
        // publish for this rule only, and nothing else in the account can ride on the grant.
        // Granted above with named actions; the target's own grant would add `kms:GenerateDataKey*`.
        role: publisher.withoutPolicyUpdates(),
        message: new PlainTextInput(
          [
            'Batch Autopilot execution <name> ended <status>.',
            '',
            'Error: <error>',
            'Cause: <cause>',
            `Execution: ${executionConsoleUrl(region, '<executionArn>')}`,
            '',
            'The run could not send its own alert, so this is the only message about it.',
            'What to do: open the execution (link above) to see where it stopped, then run the month again;',
            "a run never generates a month its records or the ledger's batches show as generated.",
          ].join('\n'),
          { name: '$.detail.name', status: '$.detail.status', error: '$.detail.error', cause: '$.detail.cause', executionArn: '$.detail.executionArn' },
        ),
      }),
    );
    return rule;
  }

  /** Throttling stops runs before any of their steps can report it. (Failed, timed-out and aborted runs: the rule above.) */
  alarmOnStateMachine(stateMachine: StateMachine): void {
    this.alarmOn(
      'ExecutionThrottled',
      stateMachine.metricThrottled({ period: Duration.minutes(5) }),
      'Step Functions throttled the workflow, so runs may not have started or advanced. Check the account\'s Step Functions quotas and other workloads on this state machine; the next scheduled fire reconciles what was missed.',
    );
  }

  /** The schedule's starts that failed after every retry: no execution exists to report them. */
  alarmOnDeadLetterQueue(queue: IQueue): void {
    this.alarmOn(
      'ScheduledStartsFailed',
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      "The schedule could not start the workflow (messages in its dead-letter queue). Read a message there for the error, fix it (often the starter's permissions or the state machine being deleted), then start the month by hand: batch-autopilot start --month YYYY-MM.",
    );
  }

  /** The starter Lambda failing: outside any run, so no execution can report it. */
  alarmOnStarterErrors(starter: IFunction): void {
    this.alarmOn(
      'StarterErrors',
      starter.metricErrors({ period: Duration.minutes(5) }),
      "The schedule's starter Lambda failed (it is retried; starts that still fail land in the dead-letter queue). See its log group for the error.",
    );
  }

  /** Every alarm of this stack is named so; the topic and key policies admit exactly these. */
  private get alarmNamePrefix(): string {
    return `${Stack.of(this).stackName}-alert-`;
  }

  private alarmOn(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      alarmName: `${this.alarmNamePrefix}${id}`,
      alarmDescription: `Batch Autopilot: ${description}`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // And when it clears, so nobody is left wondering whether it still holds.
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
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
