/** Starts the workflow once a month: EventBridge Scheduler, in the operator's time zone. */
import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface MonthlyScheduleProps {
  stateMachine: IStateMachine;
  /** EventBridge Scheduler cron expression, e.g. `cron(0 6 2 * ? *)`. */
  cron: string;
  /** IANA zone the cron runs in (a UTC-only EventBridge rule could not follow DST). */
  timeZone: string;
  /** When false the schedule exists but does not fire. */
  enabled: boolean;
}

export class MonthlySchedule extends Construct {
  readonly schedule: Schedule;
  /** Starts that Scheduler could not deliver after its retries; an alarm watches its depth. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: MonthlyScheduleProps) {
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

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Batch Autopilot: generate the previous month\u2019s batches',
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      enabled: props.enabled,
      // The target role CDK creates may only states:StartExecution on this state machine.
      target: new StepFunctionsStartExecution(props.stateMachine, {
        // The scheduled time, not the Lambda clock, decides the month: a late or repeated delivery means the same month.
        input: ScheduleTargetInput.fromObject({ source: 'schedule', scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}
