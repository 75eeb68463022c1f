/**
 * One incident, one message. A run's own alert (NotifyFailure) is counted from real local runs; the
 * execution-status rule's notice by matching its synthesized event pattern against the status-change
 * event each run would emit; the alarms by which metrics they watch.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchAutopilotStack } from '../../lib/batch-autopilot-stack.js';
import { parseConfig } from '../../lib/config.js';
import type { Simulator } from '../../local/simulator/index.js';
import { runWorkflow } from '../support/harness.js';
import { useRecordStore } from '../support/records.js';
import { useSimulator } from '../support/simulator.js';

let sim: Simulator;
useRecordStore();
useSimulator({ taskTiming: { pendingMs: 20, perBatchMs: 10 } }, { onStart: (started) => (sim = started) });

const MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:BatchAutopilot';
let pattern: Record<string, unknown>;
let executionAlarms: string[];

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BatchAutopilotStack(app, 'BatchAutopilot', { config: parseConfig({ ledgers: ['Net Carbon Removal'] }), env: { account: '123456789012', region: 'eu-west-1' } });
  const resources = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: any }>);
  const rule = resources.find((resource) => resource.Type === 'AWS::Events::Rule' && resource.Properties.EventPattern?.source?.includes('aws.states'));
  pattern = JSON.parse(JSON.stringify(rule?.Properties.EventPattern).replace(/\{"Ref":"WorkflowStateMachine[^"]*"\}/g, JSON.stringify(MACHINE_ARN)));
  executionAlarms = resources
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.Namespace === 'AWS/States')
    .map((resource) => resource.Properties.MetricName);
});

/** EventBridge matching, for what the rule uses: value lists, `prefix`, nested fields and `$or`. */
function matches(rulePattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(rulePattern).every(([key, expected]) => {
    if (key === '$or') return (expected as Record<string, unknown>[]).some((branch) => matches(branch, event));
    const actual = event[key];
    if (Array.isArray(expected)) {
      return expected.some((candidate) =>
        typeof candidate === 'object' && candidate !== null && 'prefix' in candidate ? typeof actual === 'string' && actual.startsWith(String(candidate.prefix)) : candidate === actual,
      );
    }
    return typeof actual === 'object' && actual !== null && matches(expected as Record<string, unknown>, actual as Record<string, unknown>);
  });
}

function statusChange(status: string, error: string | null): Record<string, unknown> {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { stateMachineArn: MACHINE_ARN, name: 'manual-q1', status, error, cause: error ? 'why' : null },
  };
}

const Q1 = { from: '2025-01', to: '2025-03' };

describe('one incident, one message', () => {
  it('no alarm watches execution outcomes: the run and the rule between them send the one message', () => {
    expect(executionAlarms.filter((metric) => /^Executions(Failed|TimedOut|Aborted)$/.test(metric))).toEqual([]);
  });

  it('a failure the run alerted for: its own alert and nothing from the rule', async () => {
    sim.faults.failNextTask('Model run crashed');
    const result = await runWorkflow(sim, Q1);
    expect(result.status).toBe('FAILED');
    if (result.status !== 'FAILED') return;
    expect(result.alerts).toHaveLength(1);
    expect(matches(pattern, statusChange('FAILED', result.error))).toBe(false);
  });

  it('a failure whose alert could not be published: no alert, so the rule sends the one notice', async () => {
    sim.faults.failNextTask('Model run crashed');
    const result = await runWorkflow(sim, Q1, {
      onAlert: () => {
        throw new Error('SNS refused the publish');
      },
    });
    expect(result.status).toBe('FAILED');
    if (result.status !== 'FAILED') return;
    expect(result.alerts).toHaveLength(0);
    expect(result.error).toBe('AlertNotDeliveredError');
    // The failure it could not tell is still the cause.
    expect(result.cause).toContain('Model run crashed');
    expect(matches(pattern, statusChange('FAILED', result.error))).toBe(true);
  });

  it('a run that succeeded: nothing', async () => {
    const result = await runWorkflow(sim, Q1);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.alerts).toHaveLength(0);
    expect(matches(pattern, statusChange('SUCCEEDED', null))).toBe(false);
  });

  it('a run that succeeded with notifyOnSuccess: its one success report, and nothing from the rule', async () => {
    const result = await runWorkflow(sim, { ...Q1, notifyOnSuccess: true });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.alerts.map((alert) => alert.subject)).toEqual([expect.stringMatching(/^Batch Autopilot: \d+ batch\(es\) generated/)]);
    expect(matches(pattern, statusChange('SUCCEEDED', null))).toBe(false);
  });

  it.each([
    ['TIMED_OUT', 'States.Timeout'],
    ['ABORTED', null],
    ['FAILED', 'States.DataLimitExceeded'],
    ['FAILED', 'States.Runtime'],
    ['FAILED', 'DescribeFailureError'],
  ])('an end no Catch reports (%s %s): the rule sends the one notice', (status, error) => {
    expect(matches(pattern, statusChange(status, error))).toBe(true);
  });

  it('another state machine’s runs: nothing', () => {
    const other = statusChange('TIMED_OUT', null);
    (other.detail as Record<string, unknown>).stateMachineArn = `${MACHINE_ARN}-other`;
    expect(matches(pattern, other)).toBe(false);
  });
});
