import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchAutopilotStack } from '../../lib/batch-autopilot-stack.js';
import { parseConfig } from '../../lib/config.js';
import { METRIC_NAMESPACE, METRICS, type MetricName } from '../../functions/shared/metrics.js';
import { STEPS } from '../../functions/steps.js';

interface Widget {
  properties: { title: string; metrics?: unknown[][] };
}

let template: Template;
let widgets: Widget[];

/** The body is a Fn::Join around ARNs and names; each reference becomes `<logicalId>` so the JSON parses. */
function bodyOf(join: { 'Fn::Join': [string, unknown[]] }): { widgets: Widget[] } {
  const text = join['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return `<${ref.Ref ?? ref['Fn::GetAtt']?.[0] ?? 'unknown'}>`;
    })
    .join('');
  return JSON.parse(text) as { widgets: Widget[] };
}

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new BatchAutopilotStack(app, 'BatchAutopilot', {
    config: parseConfig({ ledgers: ['Net Carbon Removal', 'lgr_second'] }),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  template = Template.fromStack(stack);
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  widgets = bodyOf(dashboards[0]?.Properties.DashboardBody).widgets;
});

const widget = (title: RegExp): Widget => {
  const found = widgets.find((candidate) => title.test(candidate.properties.title));
  if (!found) throw new Error(`no widget titled ${title}`);
  return found;
};
const expressions = (found: Widget): string[] =>
  (found.properties.metrics ?? []).flatMap((row) => row.map((cell) => (cell as { expression?: string }).expression).filter((expression) => expression !== undefined));

describe('dashboard', () => {
  it('searches every metric of functions/shared/metrics.ts over the ledger dimension, in its namespace and dimension set', () => {
    const searched = widgets.flatMap(expressions);
    for (const [name, spec] of Object.entries(METRICS)) {
      const schema = [METRIC_NAMESPACE, ...spec.dimensions].join(',');
      expect(searched).toContainEqual(expect.stringMatching(new RegExp(`^SEARCH\\('\\{${schema}\\} MetricName="${name}"'`)));
    }
  });

  it.each<[RegExp, MetricName, string]>([
    [/^Months generated/, 'MonthsGenerated', 'Sum'],
    [/^Months waiting for data/, 'MonthsWaitingForData', 'Sum'],
    [/^Months overdue/, 'MonthsOverdue', 'Sum'],
    [/^Generation duration/, 'GenerationDuration', 'Maximum'],
    [/^Amount generated/, 'AmountGenerated', 'Sum'],
  ])('%s shows %s (%s) labelled by ledger', (title, metric, statistic) => {
    const found = widget(title);
    expect(expressions(found)).toEqual([expect.stringContaining(`MetricName="${metric}"', '${statistic}'`)]);
    expect(JSON.stringify(found.properties.metrics)).toContain("${PROP('Dim.LedgerId')}");
  });

  it('shows executions by status, every step’s Lambda errors and the schedule’s dead-letter queue', () => {
    const metricNames = (found: Widget): string[] => (found.properties.metrics ?? []).map((row) => `${row[0]}/${row[1]}`);
    expect(metricNames(widget(/^Executions by status/))).toEqual(
      ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionThrottled'].map((name) => `AWS/States/${name}`),
    );
    const errors = widget(/^Step errors/);
    expect(metricNames(errors)).toEqual(Array(STEPS.length + 1).fill('AWS/Lambda/Errors'));
    const labels = (errors.properties.metrics ?? []).map((row) => (row.at(-1) as { label: string }).label);
    expect(labels).toEqual([...STEPS.map((entry) => entry.definition.name), 'StartScheduledRun']);
    expect(metricNames(widget(/dead-letter queue/))).toEqual(['AWS/SQS/ApproximateNumberOfMessagesVisible']);
  });

  it('names its console URL in the outputs', () => {
    const url = template.findOutputs('DashboardUrl').DashboardUrl?.Value as { 'Fn::Join': [string, unknown[]] };
    const text = url['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
    expect(text).toMatch(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#dashboards\/dashboard\/\{"Ref":"Dashboard[0-9A-F]+"\}$/);
  });
});
