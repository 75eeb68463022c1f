/**
 * Starts a reconciliation on each fire (days 1–10 by default): EventBridge Scheduler, in the
 * operator's time zone, invoking a small starter that names the execution after the fire's day, so
 * a duplicate delivery cannot start a second run of it.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { RunDefaults } from '../functions/shared/run-plan.js';
import { StepLambda } from './step-lambda.js';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ReconcileScheduleProps {
  stateMachine: IStateMachine;
  /** EventBridge Scheduler cron expression, e.g. `cron(0 6 1-10 * ? *)`. */
  cron: string;
  /** IANA zone the cron runs in (a UTC-only EventBridge rule could not follow DST). */
  timeZone: string;
  /** When false the schedule exists but does not fire. */
  enabled: boolean;
  /** The ledgers and time zone the starter names the execution after. */
  runDefaults: RunDefaults;
}

export class ReconcileSchedule extends Construct {
  readonly schedule: Schedule;
  readonly starter: StepLambda;
  /** Starts that failed after every retry (Scheduler's and the starter's own); an alarm watches its depth. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ReconcileScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'FailedStarts', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedule.',
    });

    this.starter = new StepLambda(this, 'StarterFunction', {
      stepFolder: 'start-scheduled-run',
      description: 'Batch Autopilot: starts the reconciliation under a name unique to the fire',
      timeout: Duration.seconds(30),
      environment: { STATE_MACHINE_ARN: props.stateMachine.stateMachineArn, RUN_DEFAULTS: JSON.stringify(props.runDefaults) },
      // Scheduler invokes asynchronously: a starter that still fails after Lambda's retries lands here too.
      deadLetterQueue: this.deadLetterQueue,
    });
    props.stateMachine.grantStartExecution(this.starter);

    // Our own role (instead of CDK's shared one) so its one finding can be acknowledged where it arises.
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    });
    const starterId = Stack.of(this).resolve((this.starter.node.defaultChild as CfnFunction).logicalId) as string;
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${starterId}.Arn>:*]`,
      reason: 'CDK grants lambda:InvokeFunction on the starter and its qualified ARNs (this one function); the schedule invokes the unqualified ARN.',
    });

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Batch Autopilot: reconcile the last months\u2019 batches',
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      enabled: props.enabled,
      // The role may only invoke the starter (and send to the dead-letter queue).
      target: new LambdaInvoke(this.starter, {
        role: schedulerRole,
        // The scheduled time, not a clock, decides the month: a late or repeated delivery means the same month.
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}
