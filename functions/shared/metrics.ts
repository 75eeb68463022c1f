/**
 * The workflow's CloudWatch metrics, listed once: the steps write them as embedded metric format
 * (EMF) fields of a log line, and the dashboard (lib/dashboard.ts) searches for the same names.
 * CloudWatch Logs extracts the metrics from the line; no PutMetricData call, no SDK in the bundle.
 */
export const METRIC_NAMESPACE = 'BatchAutopilot';
export const LEDGER_DIMENSION = 'LedgerId';
/** The unit of a ledger's primary output (e.g. `t`): amounts of different units must not add up. */
export const UNIT_DIMENSION = 'Unit';

type Dimension = typeof LEDGER_DIMENSION | typeof UNIT_DIMENSION;

interface MetricSpec {
  /** CloudWatch's unit for the value. */
  unit: 'Count' | 'Seconds' | 'None';
  dimensions: readonly Dimension[];
  /** The step that knows the fact and emits it. */
  step: 'VerifyBatches' | 'PreviewGeneration';
}

export const METRICS = {
  BatchesGenerated: { unit: 'Count', dimensions: [LEDGER_DIMENSION], step: 'VerifyBatches' },
  AmountGenerated: { unit: 'None', dimensions: [LEDGER_DIMENSION, UNIT_DIMENSION], step: 'VerifyBatches' },
  MonthsGenerated: { unit: 'Count', dimensions: [LEDGER_DIMENSION], step: 'VerifyBatches' },
  GenerationDuration: { unit: 'Seconds', dimensions: [LEDGER_DIMENSION], step: 'VerifyBatches' },
  MonthsWaitingForData: { unit: 'Count', dimensions: [LEDGER_DIMENSION], step: 'PreviewGeneration' },
  MonthsOverdue: { unit: 'Count', dimensions: [LEDGER_DIMENSION], step: 'PreviewGeneration' },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;

/** One ledger's facts from one step invocation: one EMF line. */
export interface LedgerMetrics {
  ledgerId: string;
  /** The primary output's unit; without one, the amount is not written (it could not be compared). */
  unit?: string | null;
  values: Partial<Record<MetricName, number>>;
}

/** The EMF fields of one line: `_aws` tells CloudWatch which of the line's fields are metrics and dimensions. */
export function emfFields(timestamp: number, { ledgerId, unit, values }: LedgerMetrics): Record<string, unknown> {
  const dimensionValues: Partial<Record<Dimension, string>> = { [LEDGER_DIMENSION]: ledgerId, ...(unit ? { [UNIT_DIMENSION]: unit } : {}) };
  // A non-finite number would be written as null, which CloudWatch rejects along with the whole line.
  const written = (Object.keys(values) as MetricName[]).filter(
    (name) => Number.isFinite(values[name]) && METRICS[name].dimensions.every((dimension) => dimensionValues[dimension] !== undefined),
  );
  // One directive per dimension set, so a count is not also published per unit.
  const directives = new Map<string, { dimensions: readonly Dimension[]; metrics: MetricName[] }>();
  for (const name of written) {
    const { dimensions } = METRICS[name];
    const key = dimensions.join(',');
    directives.set(key, { dimensions, metrics: [...(directives.get(key)?.metrics ?? []), name] });
  }
  const usedDimensions = new Set(written.flatMap((name) => METRICS[name].dimensions));
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [...directives.values()].map(({ dimensions, metrics }) => ({
        Namespace: METRIC_NAMESPACE,
        Dimensions: [dimensions],
        Metrics: metrics.map((name) => ({ Name: name, Unit: METRICS[name].unit })),
      })),
    },
    ...Object.fromEntries([...usedDimensions].map((dimension) => [dimension, dimensionValues[dimension]])),
    ...Object.fromEntries(written.map((name) => [name, values[name]])),
  };
}
