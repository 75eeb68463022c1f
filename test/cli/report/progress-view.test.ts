import picocolors from 'picocolors';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgressView, type ProgressViewOptions } from '../../../cli/report/progress-view.js';
import { retryPlanner } from '../../../cli/report/retries.js';
import type { RunEvent } from '../../../cli/report/run-event.js';
import { localDefinition } from '../../../local/runner/definition.js';

const plain = picocolors.createColors(false);
const lambdaCause = (errorType: string, errorMessage: string): string => JSON.stringify({ errorType, errorMessage, trace: [] });

/** The local interpreter's events for a task state, in its order (StateFailed, then the wait, then StateRetried). */
const task = (name: string, index = 0) => ({
  entered: { type: 'StateEntered', index, state: { name, type: 'Task', input: {} } } as RunEvent,
  failed: (error: string, message: string): RunEvent => ({ type: 'StateFailed', index, state: { name, type: 'Task', input: {} }, Error: error, Cause: lambdaCause(error, message) }),
  retried: (attempt: number, retrier: Record<string, unknown>): RunEvent => ({ type: 'StateRetried', index, state: { name, type: 'Task', input: {} }, retry: { attempt, retrier } }),
  caught: { type: 'StateCaught', index, state: { name, type: 'Task', input: {} } } as RunEvent,
  exited: (output: unknown): RunEvent => ({ type: 'StateExited', index, state: { name, type: 'Task', input: {}, output } }),
});

function view(options: Partial<ProgressViewOptions> = {}): { lines: string[]; onEvent: (event: RunEvent) => void; finish: () => void } {
  let text = '';
  const progress = createProgressView({ write: (chunk) => (text += chunk), interactive: false, multipleLedgers: () => false, paint: plain, ...options });
  return {
    get lines() {
      return text.split('\n').filter(Boolean);
    },
    onEvent: (event) => progress.onEvent(event),
    finish: () => progress.finish(),
  };
}

const GROUPING = { grouping: { groups: [{ modelId: 'mdl_1', ledgers: [{ ref: 'Net Carbon Removal', id: 'lgr_1', name: 'Net Carbon Removal', unit: 't', modelId: 'mdl_1' }] }], unresolved: [], anyUnresolved: false } };
const LEDGER = { ledger: { ref: 'Net Carbon Removal', id: 'lgr_1', name: 'Net Carbon Removal', unit: 't', modelId: 'mdl_1' } };

describe('retries', () => {
  let definition: ReturnType<typeof localDefinition>;
  beforeAll(() => {
    definition = localDefinition();
  });

  it('are shown when the task fails, with the attempt and the wait the deployed Retry gives', () => {
    const shown = view({ retries: retryPlanner(definition) });
    const groupLedgers = task('GroupLedgers');
    shown.onEvent(groupLedgers.entered);
    for (const attempt of [1, 2, 3]) {
      shown.onEvent(groupLedgers.failed('RateLimitedError', 'GET /ledgers answered HTTP 429: rate limited'));
      // Only after the wait does the interpreter say it retried: nothing more to show then.
      shown.onEvent(groupLedgers.retried(attempt, { ErrorEquals: ['RateLimitedError'] }));
    }
    shown.onEvent(groupLedgers.exited(GROUPING));
    expect(shown.lines).toEqual([
      '↻ GroupLedgers: RateLimitedError: GET /ledgers answered HTTP 429: rate limited; retry 1/4 in 30 s',
      '↻ GroupLedgers: RateLimitedError: GET /ledgers answered HTTP 429: rate limited; retry 2/4 in 45 s',
      '↻ GroupLedgers: RateLimitedError: GET /ledgers answered HTTP 429: rate limited; retry 3/4 in 68 s',
      '✓ GroupLedgers: 1 ledger(s) in 1 group(s) by model: "Net Carbon Removal" (lgr_1), model mdl_1',
    ]);
  });

  it('leave out a delay that jitter makes unknown; a local override makes it known', () => {
    const jittered = view({ retries: retryPlanner(definition) });
    const overridden = view({ retries: retryPlanner(definition, 200) });
    for (const shown of [jittered, overridden]) {
      shown.onEvent(task('GroupLedgers').entered);
      shown.onEvent(task('GroupLedgers').failed('UpstreamUnavailableError', 'GET /ledgers got no response'));
    }
    expect(jittered.lines).toEqual(['↻ GroupLedgers: UpstreamUnavailableError: GET /ledgers got no response; retry 1/3']);
    expect(overridden.lines).toEqual(['↻ GroupLedgers: UpstreamUnavailableError: GET /ledgers got no response; retry 1/3 in 0.2 s']);
  });

  it('without a definition, the retry event says which attempt of how many', () => {
    const shown = view();
    shown.onEvent(task('GroupLedgers').failed('UpstreamUnavailableError', 'HTTP 503'));
    shown.onEvent(task('GroupLedgers').retried(2, { ErrorEquals: ['UpstreamUnavailableError'], MaxAttempts: 5 }));
    expect(shown.lines).toEqual(['↻ GroupLedgers: UpstreamUnavailableError: HTTP 503; retry 2/5']);
  });
});

describe('failures', () => {
  it('a caught failure is one ✗ line: no ✓ for the Catch’s exit, none again for the recorded outcome', () => {
    const shown = view({ terms: (text) => text.replace('dataPointIds', '--data-point') });
    const check = task('CheckRequiredInputs');
    shown.onEvent(check.entered);
    shown.onEvent(check.failed('ManualInputsRequireDataPointsError', 'name their data points in dataPointIds'));
    shown.onEvent(check.caught);
    shown.onEvent(check.exited({ ledgerRef: 'Net Carbon Removal', failure: {} }));
    shown.onEvent({ type: 'StateExited', index: 0, state: { name: 'CheckRequiredInputsFailed', type: 'Pass', output: { ...LEDGER, outcome: 'failed', step: 'CheckRequiredInputs', error: 'ManualInputsRequireDataPointsError', cause: lambdaCause('ManualInputsRequireDataPointsError', 'same') } } });
    shown.finish();
    expect(shown.lines).toEqual(['✗ CheckRequiredInputs: ManualInputsRequireDataPointsError: name their data points in --data-point']);
  });

  it('a failure recorded by a Pass state (Mangrove’s task failed) is one ✗ line', () => {
    const shown = view();
    shown.onEvent({ type: 'StateExited', index: 0, state: { name: 'GenerationFailed', type: 'Pass', output: { ...LEDGER, outcome: 'failed', step: 'GetGenerationStatus', error: 'GenerationFailedError', cause: 'Missing Transport Distance' } } });
    expect(shown.lines).toEqual(['✗ GetGenerationStatus: GenerationFailedError: Missing Transport Distance']);
  });

  it('a failure still waiting for its next event is shown by finish()', () => {
    const shown = view();
    shown.onEvent(task('VerifyBatches').failed('VerificationFailedError', 'expected 2, found 1'));
    expect(shown.lines).toEqual([]);
    shown.finish();
    expect(shown.lines).toEqual(['✗ VerifyBatches: VerificationFailedError: expected 2, found 1']);
  });

  it('outputs that do not fit show the step by name; a Fail state is not a step failure', () => {
    const shown = view();
    shown.onEvent(task('StartGeneration').exited('not an object'));
    shown.onEvent(task('GetGenerationStatus').exited({ status: { phase: 'unknown' } }));
    shown.onEvent({ type: 'StateFailed', state: { name: 'RunFailed', type: 'Fail' }, Error: 'X', Cause: 'y' });
    shown.finish();
    expect(shown.lines).toEqual(['✓ StartGeneration']);
  });
});

describe('ledger-month records and previews', () => {
  const months = (states: Array<[string, string | null, boolean]>) => ({ months: states.map(([month, state, generated]) => ({ month, state, generated, batches: generated ? 1 : 0 })) });

  it('ReadLedgerMonths: neighbouring months in one state share a label; all generated ends the branch unless forced', () => {
    const shown = view();
    const records = task('ReadLedgerMonths');
    shown.onEvent(records.exited({ ...LEDGER, plan: { force: false }, records: { ...months([['2025-01', 'generated', true], ['2025-02', 'generated', true], ['2025-03', null, false]]), allGenerated: false } }));
    shown.onEvent(records.exited({ ...LEDGER, plan: { force: false }, records: { ...months([['2025-01', 'generated', true], ['2025-02', 'overridden', true]]), allGenerated: true } }));
    shown.onEvent(records.exited({ ...LEDGER, plan: { force: true }, records: { ...months([['2025-01', 'generated', true]]), allGenerated: true } }));
    shown.onEvent(records.exited({ ...LEDGER, records: { ...months([['2025-04', 'waiting-for-data', false]]), allGenerated: false } }));
    expect(shown.lines).toEqual([
      '✓ ReadLedgerMonths: records: 2025-01, 2025-02 generated; 2025-03 no record',
      '✓ ReadLedgerMonths: records: 2025-01 generated; 2025-02 resolved as generated; nothing to ask Mangrove',
      '✓ ReadLedgerMonths: records: 2025-01 generated; forced, so Mangrove is asked again',
      '✓ ReadLedgerMonths: records: 2025-04 waiting for data',
    ]);
  });

  it('PreviewGeneration of nothing says the month waits for data, and whether this run alerts it as overdue', () => {
    const shown = view();
    const preview = (overdueAlert?: boolean) => ({ ...LEDGER, preview: { ledgers: [{ id: 'lgr_1', name: 'Net Carbon Removal', count: 0 }], total: 0, previewedAt: '2025-04-02T06:00:00Z', overdueAlert } });
    shown.onEvent(task('PreviewGeneration').exited(preview(false)));
    shown.onEvent(task('PreviewGeneration').exited(preview(true)));
    // A preview from before overdueAlert existed still reads.
    shown.onEvent(task('PreviewGeneration').exited(preview(undefined)));
    expect(shown.lines).toEqual([
      '✓ PreviewGeneration: 0 batch(es) would be generated: Net Carbon Removal 0; no data yet',
      '✓ PreviewGeneration: 0 batch(es) would be generated: Net Carbon Removal 0; no data yet, past the generate-by day: alerting once',
      '✓ PreviewGeneration: 0 batch(es) would be generated: Net Carbon Removal 0; no data yet',
    ]);
  });

  it('items of a reconciliation are prefixed with their ledger and month, learnt from ResolveRun and the state input', () => {
    const shown = view();
    const slots = ['2025-01', '2025-02'].map((month) => ({ month }));
    shown.onEvent({ type: 'StateExited', state: { name: 'ResolveRun', type: 'Task', output: { plan: { window: { startTime: 'a', endTime: 'b', label: '2025-01..2025-02' }, ledgers: ['Net Carbon Removal'], slots } } } });
    // The interpreter gives nested events the outermost Map's index: the input, not the index, names the item.
    const input = { ledger: LEDGER.ledger, plan: { window: { label: '2025-02' } } };
    shown.onEvent({ type: 'StateExited', index: 0, state: { name: 'CheckRequiredInputs', type: 'Task', input, output: { ...input, inputs: { requiredInputs: 2, manualSelectInputs: [], dataPoints: 'not-needed', summary: '' } } } });
    expect(shown.lines).toEqual([
      '✓ ResolveRun: window 2025-01..2025-02 (a to b), reconciling 1 ledger(s) × 2 month(s)',
      '✓ [Net Carbon Removal 2025-02] CheckRequiredInputs: 2 required input(s)',
    ]);
  });
});
