/**
 * The CloudWatch dashboard a person opens to see how the runs went: executions, what each ledger's
 * months are doing, what was generated, and where something is stuck (dead-letter queue, step errors).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Dashboard as CloudWatchDashboard, GraphWidget, MathExpression, Stats, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRICS, type MetricName } from '../functions/shared/metrics.js';

export interface DashboardProps {
  stateMachine: IStateMachine;
  /** The Lambdas whose errors are shown, by the name the graph gives them. */
  functions: Record<string, IFunction>;
  /** The schedule's dead-letter queue: starts that failed after every retry. */
  deadLetterQueue: IQueue;
}

// The schedule fires at most daily, so a day is the finest bucket worth showing.
const DAY = Duration.days(1);
const MONTH = Duration.days(30);

/**
 * One line per ledger that ever wrote the metric: the configured ledgers are names or ids, and the
 * metrics carry the id, so a search finds them (and a ledger added later) without listing them here.
 */
function perLedger(metric: MetricName, statistic: string, period: Duration): MathExpression {
  const dimensions = METRICS[metric].dimensions;
  const label = dimensions.map((dimension) => `\${PROP('Dim.${dimension}')}`).join(' ');
  return new MathExpression({
    expression: `SEARCH('{${[METRIC_NAMESPACE, ...dimensions].join(',')}} MetricName="${metric}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label,
    period,
  });
}

export class Dashboard extends Construct {
  readonly dashboard: CloudWatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { stateMachine, functions, deadLetterQueue } = props;
    const daily = { period: DAY, statistic: Stats.SUM };
    const graph = (title: string, metrics: IMetric[], width = 8, leftLabel = 'count') =>
      new GraphWidget({ title, left: metrics, width, height: 6, leftYAxis: { min: 0, label: leftLabel, showUnits: false } });

    this.dashboard = new CloudWatchDashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      // The schedule reconciles the last months; three of them show a month from its first fire to its last.
      defaultInterval: Duration.days(90),
    });
    this.dashboard.addWidgets(
      graph(
        'Executions by status (per day)',
        [
          stateMachine.metricStarted({ ...daily, label: 'started' }),
          stateMachine.metricSucceeded({ ...daily, label: 'succeeded' }),
          stateMachine.metricFailed({ ...daily, label: 'failed' }),
          stateMachine.metricTimedOut({ ...daily, label: 'timed out' }),
          stateMachine.metricAborted({ ...daily, label: 'aborted' }),
          stateMachine.metricThrottled({ ...daily, label: 'throttled' }),
        ],
        12,
      ),
      graph(
        'Step errors (Lambda Errors per day)',
        Object.entries(functions).map(([name, fn]) => fn.metricErrors({ ...daily, label: name })),
        12,
      ),
    );
    this.dashboard.addWidgets(
      graph('Months generated per ledger (per day)', [perLedger('MonthsGenerated', 'Sum', DAY)]),
      graph('Months waiting for data per ledger (per day)', [perLedger('MonthsWaitingForData', 'Sum', DAY)]),
      graph('Months overdue per ledger (per day)', [perLedger('MonthsOverdue', 'Sum', DAY)]),
    );
    this.dashboard.addWidgets(
      graph('Generation duration per ledger (longest per day)', [perLedger('GenerationDuration', 'Maximum', DAY)], 8, 'seconds'),
      graph('Amount generated per ledger and unit (per 30 days)', [perLedger('AmountGenerated', 'Sum', MONTH)], 8, 'amount'),
      graph('Batches generated per ledger (per 30 days)', [perLedger('BatchesGenerated', 'Sum', MONTH)]),
    );
    this.dashboard.addWidgets(
      graph('Scheduled starts failed (dead-letter queue depth)', [
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: DAY, statistic: Stats.MAXIMUM, label: 'messages' }),
      ]),
    );
  }
}
