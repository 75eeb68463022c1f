/** Where failures are announced: one SNS topic the workflow publishes to. */
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export class Alerting extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'AlertTopic', { displayName: 'Batch Autopilot alerts', enforceSSL: true });
  }
}
